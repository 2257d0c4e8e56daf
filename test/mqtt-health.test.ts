/*
 * Health on MQTT: a fault starting goes out through the outbox with (dev, boot, seq), and the
 * periodic health says the fault active on each cell and how often each kind happened, with
 * uptime, free memory and the outbox's state. The demo trace ends after a minute: its cells then
 * stop converting, which the shelf must report as not_ready.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLiveShelf, type LiveShelf } from "../sim/live/live-shelf.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await new Mosquitto().start();
});
afterAll(async () => {
  await broker.stop();
});

for (const board of ["espruino-esp32", "nodemcu-esp8266"]) {
  describe(`health on MQTT, ${board}`, () => {
    let live: LiveShelf;
    let watch: MqttWatch;
    const device = `health-${board.slice(0, 4)}`;

    afterAll(async () => {
      await live?.stop();
      await watch?.close();
    });

    it("reports cells that stop converting as faults, and in the periodic health", async () => {
      watch = await MqttWatch.open(broker.url, `aisle/v1/${device}/health`);
      live = await startLiveShelf({ board, trace: "data/demo/shelf-demo.trace.csv", brokerUrl: broker.url, deviceId: device, key: Buffer.alloc(32, 1), speed: 50 });
      await watch.until(() => watch.on("/health").some((h) => h.kind === "periodic" && (h.t_ms as number) > 120_000), "a periodic health after the trace ended", 60000);
      const faults = watch.on("/health").filter((h) => h.kind === "fault");
      expect(faults.map((f) => [f.cell, f.fault, f.active])).toEqual([0, 1, 2, 3].map((c) => [c, "not_ready", true]));
      expect(faults.map((f) => f.seq)).toEqual([12, 13, 14, 15]);
      const first = watch.on("/health").find((h) => h.kind === "periodic")!;
      expect(first).toMatchObject({ v: 1, dev: device, boot: 1, t_ms: 60000, uptime_s: 60, outbox: 0, outbox_dropped: 0, rejected: 0 });
      expect(first.faults).toEqual([0, 1, 2, 3].map(() => ({ now: "none", saturation: 0, stuck: 0, glitch: 0, not_ready: 0 })));
      const late = watch.on("/health").filter((h) => h.kind === "periodic").at(-1)!;
      expect(late.faults).toEqual([0, 1, 2, 3].map(() => ({ now: "not_ready", saturation: 0, stuck: 0, glitch: 0, not_ready: 1 })));
      expect(typeof late.free).toBe("number");
    });
  });
}
