/*
 * The reboot command on a live Espruino shelf: it replies, restarts from flash (load(), which
 * drops the connection without a DISCONNECT, so the will says offline), and comes back online
 * with the next boot count, its calibration and counter kept, its seq counting from 1 again.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLiveShelf, type LiveShelf } from "../sim/live/live-shelf.ts";
import { DeviceClient } from "../tools/mqtt/device-client.ts";
import { calibrationTrace } from "./support/calibration-trace.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

const KEY = Buffer.alloc(32, 0x42);
let broker: Mosquitto;
let live: LiveShelf;
let watch: MqttWatch;
let tech: DeviceClient;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "aisle-reboot-"));
  writeFileSync(join(dir, "t.trace.csv"), calibrationTrace());
  broker = await new Mosquitto().start();
  watch = await MqttWatch.open(broker.url, "aisle/v1/reboot-1/#");
  live = await startLiveShelf({ board: "espruino-esp32", trace: join(dir, "t.trace.csv"), brokerUrl: broker.url, deviceId: "reboot-1", key: KEY, speed: 4 });
  await watch.until(() => watch.on("/status").some((s) => s.state === "online"), "online");
  tech = await DeviceClient.connect(broker.url, "reboot-1", KEY, "dave");
});

afterAll(async () => {
  await tech.close();
  await watch.close();
  await live.stop();
  await broker.stop();
});

describe("reboot over MQTT", () => {
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
