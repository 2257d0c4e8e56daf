import { beforeEach, describe, expect, it } from "vitest";
import { loadCalibration, saveCalibration } from "../firmware/core/calibration-store.ts";
import { linearCell } from "../firmware/core/calibration.ts";
import { cellMonitor } from "../firmware/core/cell-monitor.ts";
import { openOutbox } from "../firmware/core/outbox.ts";
import { defaultLanes } from "../firmware/core/shelf-config.ts";
import { handleShelfCommand, type ShelfDevice } from "../firmware/core/shelf-commands.ts";
import { Telemetry } from "../firmware/core/telemetry.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";
import { latin1, signCommand, type CommandBody } from "../tools/mqtt/signed-command.ts";
import { hostHmac, RecordingLink } from "./support/recording-link.ts";

const KEY = Buffer.alloc(32, 7);
const hmac = hostHmac;

let store: TearingStore;
let link: RecordingLink;
let device: ShelfDevice;
let now: number;
let ctr: number;
let reconfigured: number;

/** Still batches on every cell at `counts` for 2.5 s: two whole windows of the monitor. */
function still(counts: number[]): void {
  for (let k = 0; k < 25; k++) {
    now += 100;
    counts.forEach((c, cell) => device.monitor.push(cell, c + (k % 2) * 3, 400, 8, now));
  }
}

function send(fields: Partial<CommandBody> & { cmd: string }, opts: { key?: Buffer; raw?: Buffer } = {}): Record<string, unknown> {
  const body: CommandBody = { dev: "shelf-7", ctr: ++ctr, exp_ms: now + 30000, id: "c" + ctr, tech: "alice", ...fields };
  const before = link.on("/reply").length;
  handleShelfCommand(device, latin1(opts.raw ?? signCommand(opts.key ?? KEY, body)));
  const replies = link.on("/reply");
  expect(replies.length).toBe(before + 1);
  return replies[replies.length - 1];
}

beforeEach(() => {
  store = new TearingStore();
  saveCalibration(store, [linearCell(1000, 0.002), linearCell(-500, 0.002)]);
  link = new RecordingLink();
  now = 5000;
  ctr = 1_700_000_000_000;
  reconfigured = 0;
  const telemetry = new Telemetry(link, openOutbox(store, 16), "shelf-7", 3);
  device = {
    store, hmac, key: latin1(KEY), telemetry, cal: loadCalibration(store, 2)!.cells, session: undefined,
    monitor: cellMonitor(2), lanes: defaultLanes(2), healthPeriodS: 60, rejected: 0, nowMs: () => now,
    reconfigure: () => reconfigured++, streamFor: () => {}, reboot: () => {},
    slot: () => {
      throw new Error("no bundle updates here: test/ota-commands.test.ts");
    },
  };
});

describe("calibration over signed commands", () => {
  it("tares, spans, verifies and commits; the record survives and the change is audited by name", () => {
    still([101000, 2000]);
    expect(send({ cmd: "tare", cell: 0 })).toMatchObject({ ok: true });
    still([101000 + 250000, 2000]);
    expect(send({ cmd: "span", cell: 0, grams: 500 })).toMatchObject({ ok: true });
    expect(send({ cmd: "commit" })).toMatchObject({ ok: false, error: "not_verified" });
    still([101000 + 100000, 2000]);
    const v = send({ cmd: "verify", cell: 0, grams: 200, tol_g: 0.5 });
    expect(v).toMatchObject({ ok: true });
    expect(v.grams).toBeCloseTo(200, 1);
    expect(send({ cmd: "commit", tech: "bob" })).toMatchObject({ ok: true });
    const rec = loadCalibration(store.reboot(), 2)!;
    expect(Math.abs(rec.cells[0].offset - 101001.5)).toBeLessThanOrEqual(0.5);
    expect(rec.cells[0].grams[0] / rec.cells[0].counts[0]).toBeCloseTo(0.002, 6);
    expect(reconfigured).toBe(1);
    const audit = link.sent.filter((m) => m.topic === "aisle/v1/shelf-7/audit");
    expect(audit.map((a) => a.payload)).toEqual([expect.objectContaining({ v: 1, dev: "shelf-7", boot: 3, tech: "bob", cmd: "commit", what: "calibration" })]);
  });

  it("rolls back what is staged, and with nothing staged restores the record before the last commit", () => {
    const first = loadCalibration(store, 2)!.cells;
    still([50000, 2000]);
    send({ cmd: "tare", cell: 0 });
    expect(send({ cmd: "rollback" })).toMatchObject({ ok: true });
    expect(send({ cmd: "commit" })).toMatchObject({ ok: false, error: "not_staged" });
    saveCalibration(store, [linearCell(7, 0.003), linearCell(8, 0.003)]);
    expect(send({ cmd: "rollback" })).toMatchObject({ ok: true });
    expect(loadCalibration(store, 2)!.cells).toEqual(first);
  });

  it("refuses forged, replayed, expired, wrong-device and garbled commands, changing nothing", () => {
    still([101000, 2000]);
    const snapshot = JSON.stringify([...Array(20).keys()].map((i) => store.read(["cal.a", "cal.b", "ctr", "lanes", "cfg"][i % 5])));
    const body: CommandBody = { dev: "shelf-7", ctr: ++ctr, exp_ms: now + 30000, id: "r1", tech: "mallory", cmd: "tare", cell: 0 };
    expect(send({ cmd: "tare", cell: 0 }, { key: Buffer.alloc(32, 8) })).toMatchObject({ ok: false, error: "bad_mac" });
    expect(send({ cmd: "tare", cell: 0, dev: "shelf-8" })).toMatchObject({ ok: false, error: "wrong_device" });
    expect(send({ cmd: "tare", cell: 0, exp_ms: now - 1 })).toMatchObject({ ok: false, error: "expired" });
    expect(send({ cmd: "tare", cell: 0, boot: 2 })).toMatchObject({ ok: false, error: "expired" });
    expect(send({ cmd: "tare", cell: 0 }, { raw: Buffer.from([0x82, 0x41]) })).toMatchObject({ ok: false, error: "malformed", id: "" });
    expect(send({ cmd: "tare", cell: 9 })).toMatchObject({ ok: false, error: "bad_field", detail: "cell" });
    expect(send({ cmd: "span", cell: 0, grams: Number.NaN })).toMatchObject({ ok: false, error: "bad_field", detail: "grams" });
    expect(send({ cmd: "set_lane", lane: "nope", unit_g: 10 })).toMatchObject({ ok: false, error: "bad_field", detail: "lane" });
    expect(send({ cmd: "launch" })).toMatchObject({ ok: false, error: "unknown_cmd" });
    expect(JSON.stringify([...Array(20).keys()].map((i) => store.read(["cal.a", "cal.b", "ctr", "lanes", "cfg"][i % 5])))).toBe(snapshot);
    handleShelfCommand(device, latin1(signCommand(KEY, body)));
    expect(link.on("/reply").at(-1)).toMatchObject({ id: "r1", ok: true });
    handleShelfCommand(device, latin1(signCommand(KEY, body)));
    expect(link.on("/reply").at(-1)).toMatchObject({ id: "r1", ok: false, error: "replayed" });
    expect(device.rejected).toBe(10);
  });

  it("refuses a span with no load change and a tare on a moving plate", () => {
    still([101000, 2000]);
    send({ cmd: "tare", cell: 0 });
    still([101500, 2000]);
    expect(send({ cmd: "span", cell: 0, grams: 500 })).toMatchObject({ ok: false, error: "no_load_change" });
    for (let k = 0; k < 16; k++) {
      now += 100;
      device.monitor.push(0, 101000 + k * 5000, 400, 8, now);
    }
    expect(send({ cmd: "tare", cell: 0 })).toMatchObject({ ok: false, error: "unstable" });
  });

  it("sets a lane's unit weight and SKU, kept in the Store and audited", () => {
    expect(send({ cmd: "set_lane", lane: device.lanes[1].id, unit_g: 355.5, sku: "cola-33" })).toMatchObject({ ok: true });
    expect(store.read("lanes")).toContain("355.5\tcola-33");
    const shown = send({ cmd: "show" }) as { lanes: { unit_g: number; sku: string }[]; cells: unknown[] };
    expect(shown.lanes[1]).toMatchObject({ unit_g: 355.5, sku: "cola-33" });
    expect(shown.cells).toHaveLength(2);
  });
});
