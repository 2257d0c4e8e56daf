/*
 * 100,000 hostile command payloads at a live shelf on a real mosquitto (test/support/
 * command-fuzz.ts): the device stays up, answers every one with a refusal, and afterwards shows
 * the same calibration, lanes, counter and config as before.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveShelf } from "../sim/live/live-shelf.ts";
import type { DeviceClient, Reply } from "../tools/mqtt/device-client.ts";
import { calibrationTrace } from "./support/calibration-trace.ts";
import { hostileCommands } from "./support/command-fuzz.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import type { MqttWatch } from "./support/mqtt-watch.ts";
import { onlineShelf, type OnlineShelf } from "./support/online-shelf.ts";

const KEY = Buffer.from("a7".repeat(32), "hex");
const WINDOW = 500;

/** What must not change: everything show reports but its id, the clock, the refusal count and the counter (each show uses one up). */
function state(r: Reply): unknown {
  const { t_ms: _t, id: _id, rejected: _r, ctr: _c, ...rest } = r;
  return rest;
}

for (const [board, count] of [["espruino-esp32", 100_000], ["nodemcu-esp8266", 10_000]] as const) {
  describe(`${count} hostile commands at ${board}`, () => {
    let broker: Mosquitto;
    let shelf: OnlineShelf;
    let live: LiveShelf;
    let watch: MqttWatch;
    let tech: DeviceClient;
    const device = `fuzz-${board.split("-")[0]}`;

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), "aisle-fuzz-"));
      writeFileSync(join(dir, "quiet.trace.csv"), calibrationTrace());
      broker = await new Mosquitto().start();
      shelf = await onlineShelf(broker, { board, trace: join(dir, "quiet.trace.csv"), device, key: KEY, speed: 1, tech: "auditor", watch: "reply" });
      ({ live, watch, tech } = shelf);
    });
    afterAll(async () => {
      await shelf.close();
      await broker.stop();
    });

    it("refuses each one, stays up, and changes nothing", async () => {
      const before = await tech.command("show");
      expect(before.ok).toBe(true);
      const target = { device, key: KEY, expMs: before.t_ms + 3_600_000, boot: before.boot, lanes: (before.lanes as { id: string }[]).map((l) => l.id), ctr: before.ctr as number };
      const topic = `aisle/v1/${device}/cmd`;
      let sent = 0;
      let batch: Buffer[] = [];
      const flush = async () => {
        const want = watch.seen.length + batch.length;
        for (const p of batch) watch.client.publish(topic, p, { qos: 1 });
        await watch.until(() => watch.seen.length >= want, `replies to ${want} commands`, 60000).catch((e: Error) => {
          throw new Error(`${e.message.slice(0, 60)}…; ${watch.seen.length} replies; the board at ${live.nowUs()} us said last: ${live.lines.slice(-6).join(" | ").slice(0, 600)}`);
        });
        sent += batch.length;
        batch = [];
      };
      for (const payload of hostileCommands(20261204, count, target)) {
        batch.push(payload);
        if (batch.length === WINDOW) await flush();
      }
      await flush();
      expect(sent).toBe(count);
      const replies = watch.seen.map((s) => s.body);
      expect(replies.length).toBeGreaterThanOrEqual(count);
      const accepted = replies.filter((r) => r.ok !== false && r.id !== before.id);
      expect(accepted).toEqual([]);
      const errors = new Map<string, number>();
      for (const r of replies) errors.set(String(r.error), (errors.get(String(r.error)) ?? 0) + 1);
      console.log(`${board}: ${count} hostile commands refused: ${JSON.stringify(Object.fromEntries(errors))}`);
      for (const e of ["malformed", "bad_mac", "bad_field", "unknown_cmd", "wrong_device"]) expect(errors.get(e) ?? 0, e).toBeGreaterThan(0);
      expect(errors.get("replayed") ?? 0).toBe(0);
      const after = await tech.command("show");
      expect(after.ok).toBe(true);
      expect(state(after)).toEqual(state(before));
      expect(after.rejected as number).toBeGreaterThanOrEqual((before.rejected as number) + count);
      // The signed ones among them used up no counter: the next one after the first show is the second show's.
      expect(after.ctr as number).toBeGreaterThan(before.ctr as number);
      expect((after.ctr as number) - (before.ctr as number)).toBeLessThan(60_000_000);
    }, 900_000);
  });
}
