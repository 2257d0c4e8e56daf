/*
 * The gate's signed commands on the source, without a broker: admissions as signed, expiring,
 * single-use tokens (each refusal reported on health when the command was authentic), show and
 * reboot. test/mqtt-gate.test.ts runs the built bundles on a real mosquitto.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { handleGateCommand, MAX_ADMIT_MS, TOKEN_MEMORY, type GateDevice } from "../firmware/core/gate-commands.ts";
import { gateTimes } from "../firmware/core/gate-events.ts";
import { laneAdmit, laneState, newGateLane } from "../firmware/core/gate-lane.ts";
import { GATE_KINDS } from "../firmware/core/gate-events.ts";
import { openOutbox } from "../firmware/core/outbox.ts";
import { Telemetry } from "../firmware/core/telemetry.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";
import { latin1, signCommand, type CommandBody } from "../tools/mqtt/signed-command.ts";
import { hostHmac, RecordingLink } from "./support/recording-link.ts";

const KEY = Buffer.alloc(32, 7);
const BOOT = 4;
const hmac = hostHmac;

let link: RecordingLink;
let telemetry: Telemetry;
let device: GateDevice;
let admitted: [number, number][];
let rebooted: number;
let now: number;
let ctr: number;

function send(fields: Partial<CommandBody> & { cmd: string }, opts: { key?: Buffer } = {}): Record<string, unknown> {
  const body = Object.fromEntries(Object.entries({ dev: "gate-7", ctr: ++ctr, exp_ms: now + 10000, boot: BOOT, id: "c" + ctr, tech: "door-server", ...fields }).filter(([, v]) => v !== undefined)) as CommandBody;
  const before = link.on("/reply").length;
  handleGateCommand(device, latin1(signCommand(opts.key ?? KEY, body)));
  pubacks();
  const replies = link.on("/reply");
  expect(replies.length).toBe(before + 1);
  return replies[replies.length - 1];
}

/** The broker's PUBACK for each outbox message in turn, so the next goes out. */
function pubacks(): void {
  for (let last = -1; last !== link.token; ) {
    last = link.token;
    telemetry.acked(last);
  }
}

/** What went to the outbox's health: the refused admissions. */
const refusals = () => link.on("/health").filter((h) => h.kind === "admit_refused");

beforeEach(() => {
  link = new RecordingLink();
  now = 5000;
  ctr = 0;
  admitted = [];
  rebooted = 0;
  telemetry = new Telemetry(link, openOutbox(new TearingStore(), 32), "gate-7", BOOT);
  const lanes = [0, 1].map(() => newGateLane(gateTimes(), { event: () => {}, lock: () => {}, admitted: () => {} }));
  device = {
    store: new TearingStore(), hmac, key: latin1(KEY), telemetry, lanes, counts: new Array(2 * GATE_KINDS).fill(0),
    tokens: [], tokenUntilMs: [], healthPeriodS: 60, rejected: 0, nowMs: () => now,
    admit: (lane, tMs) => {
      admitted.push([lane, tMs]);
      laneAdmit(lanes[lane], tMs);
    },
    reboot: () => rebooted++,
    slot: () => {
      throw new Error("no bundle updates here: test/ota-commands.test.ts");
    },
  };
});

describe("admissions as signed, expiring, single-use tokens", () => {
  it("admits a good token on its lane at the clock's time, and replies ok", () => {
    expect(send({ cmd: "admit", lane: "G2", token: "tok-1" })).toMatchObject({ ok: true, id: "c1", boot: BOOT, t_ms: 5000, ctr: 1 });
    expect(admitted).toEqual([[1, 5000]]);
    expect(laneState(device.lanes[1])).toBe(1);
    expect(refusals()).toEqual([]);
  });

  it("refuses a token used before while its command may be valid, as token_used, and reports it with (dev, boot, seq)", () => {
    send({ cmd: "admit", lane: "G1", token: "tok-1" });
    now += 2000;
    expect(send({ cmd: "admit", lane: "G2", token: "tok-1", id: "again" })).toMatchObject({ ok: false, error: "token_used", detail: "token", ctr: 2 });
    expect(admitted).toEqual([[0, 5000]]);
    expect(refusals()).toEqual([{ v: 1, dev: "gate-7", boot: BOOT, seq: 1, kind: "admit_refused", error: "token_used", lane: "G2", token: "tok-1", id: "again", t_ms: 7000 }]);
    // The counter is used up: the same command again is a replay, reported too.
    expect(device.rejected).toBe(1);
  });

  it("forgets a token once its command's deadline has passed, and no sooner", () => {
    send({ cmd: "admit", lane: "G1", token: "tok-1", exp_ms: now + 3000 });
    now += 3000;
    expect(send({ cmd: "admit", lane: "G1", token: "tok-1" })).toMatchObject({ error: "token_used" });
    now += 1;
    expect(send({ cmd: "admit", lane: "G1", token: "tok-1" })).toMatchObject({ ok: true });
    expect(admitted.length).toBe(2);
  });

  it("refuses expired, replayed and other-boot admissions and reports each; a forged one is refused and not reported", () => {
    expect(send({ cmd: "admit", lane: "G1", token: "late", exp_ms: now - 1, id: "late" })).toMatchObject({ ok: false, error: "expired" });
    expect(send({ cmd: "admit", lane: "G1", token: "other", boot: BOOT + 1, id: "other-boot" })).toMatchObject({ error: "expired" });
    const body: CommandBody = { dev: "gate-7", ctr: ++ctr, exp_ms: now + 5000, boot: BOOT, id: "once", tech: "t", cmd: "admit", lane: "G1", token: "tok-9" };
    handleGateCommand(device, latin1(signCommand(KEY, body)));
    handleGateCommand(device, latin1(signCommand(KEY, body)));
    pubacks();
    expect(link.on("/reply").slice(-2)).toMatchObject([{ ok: true, id: "once" }, { ok: false, id: "once", error: "replayed" }]);
    expect(send({ cmd: "admit", lane: "G1", token: "forged", id: "forged" }, { key: Buffer.alloc(32, 9) })).toMatchObject({ error: "bad_mac" });
    expect(admitted).toEqual([[0, 5000]]);
    expect(refusals().map((r) => [r.id, r.error, r.token])).toEqual([["late", "expired", "late"], ["other-boot", "expired", "other"], ["once", "replayed", "tok-9"]]);
    expect(device.rejected).toBe(4);
  });

  it("refuses an admit without a boot, with a deadline more than MAX_ADMIT_MS ahead, or for no lane, as bad_field", () => {
    expect(send({ cmd: "admit", lane: "G1", token: "a", boot: undefined })).toMatchObject({ error: "bad_field", detail: "boot" });
    expect(send({ cmd: "admit", lane: "G1", token: "b", exp_ms: now + MAX_ADMIT_MS + 1 })).toMatchObject({ error: "bad_field", detail: "exp_ms" });
    expect(send({ cmd: "admit", lane: "G1", token: "c", exp_ms: now + MAX_ADMIT_MS })).toMatchObject({ ok: true });
    for (const lane of ["G3", "G0", "G01", "G1.0", "g1", "", 1]) expect(send({ cmd: "admit", lane, token: "d" }), String(lane)).toMatchObject({ error: "bad_field", detail: "lane" });
    expect(send({ cmd: "admit", lane: "G1", token: "caf\u00e9" })).toMatchObject({ error: "bad_field", detail: "token" });
    expect(send({ cmd: "admit", lane: "G1", token: "x".repeat(33) })).toMatchObject({ error: "bad_field", detail: "token" });
    expect(admitted.length).toBe(1);
    expect(refusals().length).toBe(11);
  });

  it("holds at most TOKEN_MEMORY tokens: one more while all are in force is refused as busy, and taken once one lapses", () => {
    for (let i = 0; i < TOKEN_MEMORY; i++) {
      expect(send({ cmd: "admit", lane: "G1", token: `t${i}`, exp_ms: now + 10000 + i })).toMatchObject({ ok: true });
    }
    expect(send({ cmd: "admit", lane: "G1", token: "one-more" })).toMatchObject({ error: "busy" });
    now += 10001;
    expect(send({ cmd: "admit", lane: "G1", token: "one-more" })).toMatchObject({ ok: true });
    expect(device.tokens).toEqual(["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "t12", "t13", "t14", "t15", "one-more"].slice(-(TOKEN_MEMORY)));
  });
});

describe("show and reboot", () => {
  it("shows each lane's state and counts, the tokens held and the counters; reboots after replying", () => {
    device.counts[GATE_KINDS + 0] = 3;
    send({ cmd: "admit", lane: "G1", token: "tok-1" });
    const shown = send({ cmd: "show" });
    expect(shown).toMatchObject({
      ok: true, tokens: 1, health_period_s: 60, rejected: 0, outbox: 0, outbox_dropped: 0,
      lanes: [
        { id: "G1", state: "admitted", entry: 0, exit: 0, tailgate: 0, wrong_way: 0, forced: 0, held_open: 0, lock_fault: 0, emergency: 0 },
        { id: "G2", state: "idle", entry: 3, exit: 0 },
      ],
    });
    expect(Object.keys(shown)).toEqual(["v", "id", "ok", "boot", "t_ms", "ctr", "lanes", "tokens", "health_period_s", "rejected", "outbox", "outbox_dropped"]);
    expect(send({ cmd: "reboot" })).toMatchObject({ ok: true });
    expect(rebooted).toBe(1);
    expect(send({ cmd: "tare", cell: 0 })).toMatchObject({ error: "unknown_cmd", detail: "tare" });
  });
});
