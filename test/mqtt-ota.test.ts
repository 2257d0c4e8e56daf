/*
 * Issue #7, part 5: signed bundle updates over MQTT on a real mosquitto, with live virtual boards
 * (sim/live): the shelf on MQTT on espruino-esp32 and nodemcu-esp8266 (lua5.1) through a good
 * update (a second bundle that prints a line of its own: the device comes back as it, confirms
 * it, and keeps its Store), a corrupt one (a piece altered on the way: refused at commit, the
 * bundle running goes on), one signed with another fleet's key (refused), and one that throws at
 * boot (its boot loader restores the bundle before on its own, and the device comes back as it
 * and says so). The gate on both boards and the shelf on nodemcu-esp32 (lua5.3) through a good one.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLiveGate, type LiveGate } from "../sim/live/live-gate.ts";
import { DeviceClient } from "../tools/mqtt/device-client.ts";
import { signBundle, type SignedBundle } from "../tools/ota/bundle-signature.ts";
import { otaBundle } from "../tools/ota/ota-bundle.ts";
import { deriveOtaKey } from "../tools/ota/ota-key.ts";
import { sendBundle } from "../tools/ota/ota-transfer.ts";
import { OtaWatch } from "../tools/ota/ota-watch.ts";
import { calibrationTrace } from "./support/calibration-trace.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { onlineShelf, type OnlineShelf } from "./support/online-shelf.ts";

const KEY = Buffer.alloc(32, 0x5a);
const FLEET = Buffer.alloc(32, 0xf1);
const OTHER_FLEET = Buffer.alloc(32, 0x0e);
/** Virtual time per wall time: the boot loader's minute of trial passes in 3 s. */
const SPEED = 20;
const dir = mkdtempSync(join(tmpdir(), "aisle-ota-"));
const SHELF_TRACE = join(dir, "shelf.trace.csv");
// Ten minutes of the plate's samples: enough for every update below, the HX711s fed throughout.
writeFileSync(SHELF_TRACE, calibrationTrace(80, 1, 600_000));
const GATE_TRACE = join(dir, "gate.trace.csv");
writeFileSync(GATE_TRACE, '# aisle-trace 1\n# kind: "gate"\n# device: "gate-idle"\nt_ms,G1.beam_outer,G1.beam_inner,G1.door_closed,G1.admit,emergency\n0,0,0,1,,0\n600000,0,,,,\n');

let broker: Mosquitto;
beforeAll(async () => {
  // Replies go out at once: with Nagle's algorithm each command's round trip took ~40 ms of wall.
  broker = await new Mosquitto({ config: ["set_tcp_nodelay true"] }).start();
});
afterAll(async () => {
  await broker.stop();
});

/** The bundle with a line of its own first: on Espruino the app (pretokenised code takes plain text too), on NodeMCU the Lua bundle. */
function withLine(bytes: Buffer, platform: string, line: string): Buffer {
  return Buffer.concat([Buffer.from(platform === "espruino" ? `print(${JSON.stringify(line)});\n` : `print(${JSON.stringify(line)})\n`), bytes]);
}

/** A bundle that throws as it starts. */
function crashing(platform: string): Buffer {
  return Buffer.from(platform === "espruino" ? 'throw new Error("ota test: crash at boot");\n' : 'error("ota test: crash at boot")\n');
}

/** Sends a bundle and waits for its outcome; a refusal comes back as the error's message. */
async function update(tech: DeviceClient, watch: OtaWatch, b: SignedBundle): Promise<{ result: string; detail: string; boot: number | undefined; refusal?: string }> {
  try {
    await sendBundle(tech, b, { replyTimeoutMs: 20_000, commitTimeoutMs: 60_000 });
  } catch (e) {
    return { result: "refused", detail: "", boot: undefined, refusal: (e as Error).message };
  }
  return watch.outcome(b.version, 90_000);
}

for (const board of ["espruino-esp32", "nodemcu-esp8266"]) {
  describe(`bundle updates of the shelf on ${board}`, () => {
    const device = `ota-s-${board.split("-")[0].slice(0, 4)}`;
    const otaKey = deriveOtaKey(FLEET, device);
    let shelf: OnlineShelf;
    let ota: OtaWatch;
    let platform: string;
    let original: Buffer;

    beforeAll(async () => {
      const built = await otaBundle(board, "shelf");
      platform = built.board.platform;
      original = built.bytes;
      ota = await OtaWatch.open(broker.url, device);
      shelf = await onlineShelf(broker, { board, trace: SHELF_TRACE, device, key: KEY, otaKey, speed: SPEED, tech: "olga" });
    }, 120_000);
    afterAll(async () => {
      await shelf?.close();
      await ota?.close();
    });

    it("a good update: the device comes back on the new bundle, confirms it, and keeps its Store", async () => {
      const before = await shelf.tech.command("show");
      expect(before).toMatchObject({ ok: true, boot: 1 });
      const v2 = signBundle(otaKey, `${board}/shelf`, "shelf-v2", withLine(original, platform, "I ota v2"));
      expect(await update(shelf.tech, ota, v2)).toMatchObject({ result: "confirmed", boot: 2 });
      expect(shelf.live.lines).toContain("I ota v2");
      const after = await shelf.tech.command("show");
      expect(after).toMatchObject({ ok: true, boot: 2 });
      expect(after.cells).toEqual(before.cells);
      expect(after.lanes).toEqual(before.lanes);
      expect(after.ctr as number).toBeGreaterThan(before.ctr as number);
      expect(shelf.watch.on("/audit")).toEqual([expect.objectContaining({ boot: 1, tech: "olga", cmd: "ota_commit", what: "bundle shelf-v2" })]);
      expect(ota.online.slice(0, 2)).toEqual([1, 2]);
    }, 180_000);

    it("a corrupt update (a piece altered on the way) is refused at commit, and the bundle running goes on", async () => {
      const good = signBundle(otaKey, `${board}/shelf`, "shelf-v3", withLine(original, platform, "I ota v3"));
      const altered = Buffer.from(good.bytes);
      altered[5000] ^= 0x20;
      const lines = shelf.live.lines.length;
      const r = await update(shelf.tech, ota, { ...good, bytes: altered });
      expect(r.refusal).toMatch(/ota_commit refused: bad_signature/);
      // The refusal's event comes through the outbox, after the reply.
      expect(await ota.outcome("shelf-v3", 30_000)).toMatchObject({ result: "refused", detail: "bad_signature", boot: 2 });
      expect(ota.events.filter((e) => e.version === "shelf-v3")).toEqual([expect.objectContaining({ event: "refused", detail: "bad_signature", boot: 2 })]);
      expect(await shelf.tech.command("show")).toMatchObject({ ok: true, boot: 2 });
      expect(shelf.live.lines.slice(lines).filter((l) => /^I (ota|shelf up)/.test(l))).toEqual([]);
    }, 180_000);

    it("a bundle signed with another fleet's key is refused, and so is one for another app", async () => {
      const foreign = signBundle(deriveOtaKey(OTHER_FLEET, device), `${board}/shelf`, "shelf-v4", withLine(original, platform, "I ota v4"));
      expect((await update(shelf.tech, ota, foreign)).refusal).toMatch(/ota_commit refused: bad_signature/);
      expect(await ota.outcome("shelf-v4", 30_000)).toMatchObject({ result: "refused", detail: "bad_signature" });
      const gate = signBundle(otaKey, `${board}/gate`, "gate-v1", withLine(original, platform, "I ota gate"));
      expect((await update(shelf.tech, ota, gate)).refusal).toMatch(/ota_commit refused: bad_signature/);
      expect(await ota.outcome("gate-v1", 30_000)).toMatchObject({ result: "refused", detail: "bad_signature" });
      expect(await shelf.tech.command("show")).toMatchObject({ ok: true, boot: 2 });
    }, 180_000);

    it("a bundle that throws at boot is rolled back by the boot loader: the device comes back on the bundle before and says so", async () => {
      const v2Lines = shelf.live.lines.filter((l) => l === "I ota v2").length;
      const bad = signBundle(otaKey, `${board}/shelf`, "shelf-crash", crashing(platform));
      const r = await update(shelf.tech, ota, bad);
      // Espruino goes on after an exception at boot: its .boot0's deadline finds the trial unconfirmed. NodeMCU's init.lua sees the error.
      expect(r).toMatchObject({ result: "rolled_back", detail: platform === "espruino" ? "timeout" : "crash", boot: 3 });
      expect(shelf.live.lines.filter((l) => l === "I ota v2").length).toBe(v2Lines + 1);
      expect(await shelf.tech.command("show")).toMatchObject({ ok: true, boot: 3 });
      // It runs v2 again, and takes the next update as ever.
      const v5 = signBundle(otaKey, `${board}/shelf`, "shelf-v5", withLine(original, platform, "I ota v5"));
      expect(await update(shelf.tech, ota, v5)).toMatchObject({ result: "confirmed", boot: 4 });
    }, 240_000);
  });
}

for (const board of ["espruino-esp32", "nodemcu-esp8266"]) {
  describe(`a bundle update of the gate on ${board}`, () => {
    const device = `ota-g-${board.split("-")[0].slice(0, 4)}`;
    const otaKey = deriveOtaKey(FLEET, device);
    let live: LiveGate;
    let tech: DeviceClient;
    let ota: OtaWatch;

    beforeAll(async () => {
      ota = await OtaWatch.open(broker.url, device);
      live = await startLiveGate({ board, trace: GATE_TRACE, brokerUrl: broker.url, deviceId: device, key: KEY, otaKey, speed: SPEED });
      tech = await DeviceClient.connect(broker.url, device, KEY, "olga");
    }, 120_000);
    afterAll(async () => {
      await tech?.close();
      await ota?.close();
      await live?.stop();
    });

    it("comes back on the new bundle and confirms it", async () => {
      const built = await otaBundle(board, "gate");
      const v2 = signBundle(otaKey, `${board}/gate`, "gate-v2", withLine(built.bytes, built.board.platform, "I ota v2"));
      expect(await update(tech, ota, v2)).toMatchObject({ result: "confirmed", boot: 2 });
      expect(live.lines).toContain("I ota v2");
      expect(await tech.command("show")).toMatchObject({ ok: true, boot: 2 });
    }, 180_000);
  });
}

describe("a bundle update of the shelf on nodemcu-esp32 (lua5.3)", () => {
  const board = "nodemcu-esp32";
  const device = "ota-s-esp32";
  const otaKey = deriveOtaKey(FLEET, device);
  let shelf: OnlineShelf;
  let ota: OtaWatch;

  beforeAll(async () => {
    ota = await OtaWatch.open(broker.url, device);
    shelf = await onlineShelf(broker, { board, trace: SHELF_TRACE, device, key: KEY, otaKey, speed: SPEED, tech: "olga" });
  }, 120_000);
  afterAll(async () => {
    await shelf?.close();
    await ota?.close();
  });

  it("comes back on the new bundle and confirms it", async () => {
    const built = await otaBundle(board, "shelf");
    const v2 = signBundle(otaKey, `${board}/shelf`, "shelf-v2", withLine(built.bytes, "nodemcu", "I ota v2"));
    expect(await update(shelf.tech, ota, v2)).toMatchObject({ result: "confirmed", boot: 2 });
    expect(shelf.live.lines).toContain("I ota v2");
  }, 180_000);
});
