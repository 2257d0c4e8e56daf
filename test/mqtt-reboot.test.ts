/*
 * The reboot command on a live shelf: it replies, restarts from flash, dropping the connection
 * without a DISCONNECT, so the will says offline, and comes back online with the next boot count,
 * its calibration, lanes and counter kept, its seq counting from 1 again. On Espruino the board's
 * load() resets it; on NodeMCU node.restart() starts a new Lua on the files the old one left.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveShelf } from "../sim/live/live-shelf.ts";
import type { DeviceClient } from "../tools/mqtt/device-client.ts";
import { calibrationTrace } from "./support/calibration-trace.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import type { MqttWatch } from "./support/mqtt-watch.ts";
import { onlineShelf, type OnlineShelf } from "./support/online-shelf.ts";

const KEY = Buffer.alloc(32, 0x42);
const dir = mkdtempSync(join(tmpdir(), "aisle-reboot-"));
writeFileSync(join(dir, "t.trace.csv"), calibrationTrace());
let broker: Mosquitto;

beforeAll(async () => {
  broker = await new Mosquitto().start();
});

afterAll(async () => {
  await broker.stop();
});

for (const board of ["espruino-esp32", "nodemcu-esp8266"]) {
  describe(`reboot over MQTT on ${board}`, () => {
    const device = `reboot-${board.split("-")[0]}`;
    let shelf: OnlineShelf;
    let live: LiveShelf;
    let watch: MqttWatch;
    let tech: DeviceClient;

    beforeAll(async () => {
      shelf = await onlineShelf(broker, { board, trace: join(dir, "t.trace.csv"), device, key: KEY, speed: 4, tech: "dave" });
      ({ live, watch, tech } = shelf);
    });

    afterAll(async () => {
      await shelf.close();
    });

    it("replies, goes offline, and comes back as the next boot with its Store intact", async () => {
      const before = await tech.command("show");
      expect(before).toMatchObject({ ok: true, boot: 1 });
      expect(await tech.command("set_lane", { lane: (before.lanes as { id: string }[])[0].id, unit_g: 250, sku: "tea-250" })).toMatchObject({ ok: true });
      expect(await tech.command("reboot")).toMatchObject({ ok: true, boot: 1 });
      await watch.until(() => watch.on("/status").some((s) => s.state === "online" && s.boot === 2), "boot 2 online", 30000);
      const states = watch.on("/status").map((s) => `${s.state}${s.boot ?? ""}`);
      expect(states).toEqual(["online1", "offline", "online2"]);
      const after = await tech.command("show");
      expect(after).toMatchObject({ ok: true, boot: 2 });
      expect(after.cells).toEqual(before.cells);
      expect((after.lanes as { unit_g: number; sku: string }[])[0]).toMatchObject({ unit_g: 250, sku: "tea-250" });
      expect(after.ctr as number).toBeGreaterThan(before.ctr as number);
      // The audit of set_lane went out in boot 1 with seq 1; boot 2 counts afresh.
      expect(watch.on("/audit")).toEqual([expect.objectContaining({ boot: 1, seq: 1, tech: "dave", what: expect.stringMatching(/^lane /) })]);
      expect(live.lines.filter((l) => l.startsWith("I shelf up")).length).toBe(2);
    });
  });
}
