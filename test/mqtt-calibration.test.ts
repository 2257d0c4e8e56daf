/*
 * A shelf on MQTT, live on a real mosquitto, calibrated by the technician's own client code
 * (tools/mqtt/device-client.ts, what aisle calibrate runs): tare, span, verify, commit, with the
 * audit record; and every kind of illegitimate command refused on the wire. On the Espruino ESP32
 * build and on the NodeMCU ESP8266 build under lua5.1.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveShelf } from "../sim/live/live-shelf.ts";
import type { DeviceClient } from "../tools/mqtt/device-client.ts";
import { encodeBody, signCommand } from "../tools/mqtt/signed-command.ts";
import { calibrationTrace, TRUE_G_PER_COUNT, TRUE_OFFSET } from "./support/calibration-trace.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import type { MqttWatch } from "./support/mqtt-watch.ts";
import { onlineShelf, type OnlineShelf } from "./support/online-shelf.ts";

const KEY = Buffer.from("5e".repeat(32), "hex");
const dir = mkdtempSync(join(tmpdir(), "aisle-cal-"));
const tracePath = join(dir, "cal.trace.csv");
writeFileSync(tracePath, calibrationTrace());

let broker: Mosquitto;
beforeAll(async () => {
  broker = await new Mosquitto().start();
});
afterAll(async () => {
  await broker.stop();
});

for (const board of ["espruino-esp32", "nodemcu-esp8266"]) {
  describe(`calibration over MQTT on ${board}`, () => {
    const device = `cal-${board.split("-")[0]}`;
    let shelf: OnlineShelf;
    let live: LiveShelf;
    let watch: MqttWatch;
    let tech: DeviceClient;

    beforeAll(async () => {
      shelf = await onlineShelf(broker, { board, trace: tracePath, device, key: KEY, speed: 8 });
      ({ live, watch, tech } = shelf);
    });
    afterAll(async () => {
      await shelf.close();
    });

    it("tares on the empty plate, spans on 500 g, verifies on 200 g, commits, and audits it under the technician's name", async () => {
      await live.waitUntilUs(9e6);
      expect(await tech.command("tare", { cell: 0 })).toMatchObject({ ok: true });
      await live.waitUntilUs(21e6);
      expect(await tech.command("span", { cell: 0, grams: 500 })).toMatchObject({ ok: true });
      await live.waitUntilUs(33e6);
      const v = await tech.command("verify", { cell: 0, grams: 200, tol_g: 0.5 });
      expect(v).toMatchObject({ ok: true });
      expect(Math.abs((v.grams as number) - 200)).toBeLessThan(0.5);
      expect(await tech.command("commit")).toMatchObject({ ok: true });
      const shown = await tech.command("show");
      const cell0 = (shown.cells as { offset: number; counts: number[]; grams: number[] }[])[0];
      expect(Math.abs(cell0.offset - TRUE_OFFSET)).toBeLessThan(20);
      expect(cell0.grams[0] / cell0.counts[0]).toBeCloseTo(TRUE_G_PER_COUNT, 6);
      await watch.until(() => watch.on("/audit").length > 0, "the audit record");
      expect(watch.on("/audit")).toEqual([expect.objectContaining({ dev: device, tech: "alice", cmd: "commit", what: "calibration" })]);
    });

    it("refuses forged, replayed, expired, wrong-device and malformed commands on the wire", async () => {
      const now = (await tech.command("show")) as { t_ms: number; boot: number };
      const topic = `aisle/v1/${device}/cmd`;
      const base = { dev: device, exp_ms: now.t_ms + 60000, boot: now.boot, tech: "mallory", cmd: "tare", cell: 0 };
      const ctr = Date.now() + 10_000;
      const sent: [string, Buffer, string][] = [
        ["forged", signCommand(Buffer.alloc(32, 9), { ...base, ctr, id: "forged" }), "bad_mac"],
        ["wrong-dev", signCommand(KEY, { ...base, dev: "someone-else", ctr: ctr + 1, id: "wrong-dev" }), "wrong_device"],
        ["expired", signCommand(KEY, { ...base, exp_ms: now.t_ms - 1, ctr: ctr + 2, id: "expired" }), "expired"],
        ["old-boot", signCommand(KEY, { ...base, boot: now.boot + 1, ctr: ctr + 3, id: "old-boot" }), "expired"],
        ["replayed", signCommand(KEY, { ...base, ctr: 5, id: "replayed" }), "replayed"],
        ["", Buffer.from(encodeBody({ ...base, ctr: ctr + 4, id: "unsigned" })), "malformed"],
      ];
      for (const [, payload] of sent) await watch.client.publishAsync(topic, payload, { qos: 1 });
      await watch.until(() => watch.on("/reply").filter((r) => r.ok === false && sent.some(([id]) => id === r.id)).length >= sent.length, "six refusals");
      for (const [id, , error] of sent) expect(watch.on("/reply").find((r) => r.id === id && r.ok === false), id).toMatchObject({ error });
      const after = await tech.command("show");
      expect(after.ok).toBe(true);
      expect((after.cells as { offset: number }[])[0].offset).toBeCloseTo(TRUE_OFFSET, -2);
    });
  });
}
