/*
 * Issue #5's outage test: a 10,000-event replay through a live shelf on a real mosquitto, the
 * broker killed (SIGKILL) and restarted in the middle. The back office (a persistent session on
 * a broker that keeps its sessions on disk) must end with every event exactly once after dropping
 * duplicates by (boot, seq), each one as the serial build of the same firmware reports it.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shelfDemo } from "../sim/gen/shelf-demo.ts";
import { startLiveShelf } from "../sim/live/live-shelf.ts";
import { replayTrace } from "../sim/replay.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

/** Long enough for 10,000 events at the demo's pace (one every 3.5 to 6 s). */
const TRACE_S = 48000;
const dir = mkdtempSync(join(tmpdir(), "aisle-outage-"));
const tracePath = join(dir, "long.trace.csv");
let broker: Mosquitto | undefined;
afterAll(async () => {
  await broker?.stop();
});

describe("a broker killed and restarted in the middle of a 10,000-event replay", () => {
  it("loses nothing and, after dropping duplicates by (boot, seq), delivers each event once", async () => {
    writeFileSync(tracePath, shelfDemo(5, 10, TRACE_S).trace);
    const [reference] = await replayTrace(tracePath, { runners: ["espruino"] }, () => "espruino-esp32");
    expect(reference.events.length).toBeGreaterThanOrEqual(10000);

    // The broker drops to its own user, which must reach and write its database.
    const db = join(dir, "db");
    mkdirSync(db);
    chmodSync(dir, 0o755);
    chmodSync(db, 0o777);
    broker = await new Mosquitto({ config: ["persistence true", `persistence_location ${db}/`, "autosave_interval 1"] }).start();
    const office = await MqttWatch.open(broker.url, "aisle/v1/outage-1/#");
    // Saved with the broker's sessions before anything is published, so it outlives the kill.
    await new Promise((r) => setTimeout(r, 1500));
    const live = await startLiveShelf({ board: "espruino-esp32", trace: tracePath, brokerUrl: broker.url, deviceId: "outage-1", key: Buffer.alloc(32, 3), speed: 1000, keepaliveS: 600 });
    try {
      await live.waitUntilUs(TRACE_S * 0.4e6, 120000);
      await broker.kill();
      await new Promise((r) => setTimeout(r, 300));
      await broker.start();
      await live.waitUntilFed(30e6, 240000);
      const eventCount = () => new Set(office.on("/event").map((e) => e.seq)).size;
      await office.until(() => eventCount() >= reference.events.length, `${reference.events.length} events`, 60000).catch((e: Error) => {
        const got = new Set(office.on("/event").map((x) => x.seq as number));
        const missing = [...Array(Math.max(...got)).keys()].map((k) => k + 1).filter((k) => !got.has(k));
        throw new Error(`${e.message.slice(0, 80)}: ${got.size} events came, up to seq ${Math.max(...got)}; missing seqs ${missing.slice(0, 12).join(",")}${missing.length > 12 ? "…" : ""} (${missing.length}); statuses ${office.on("/status").map((x) => x.state).join(",")}`);
      });
    } finally {
      await live.stop();
      await office.close();
    }
    const outboxed = office.seen.filter((s) => !s.retain && (s.topic.endsWith("/event") || (s.topic.endsWith("/health") && s.body.seq !== undefined)));
    const bySeq = new Map<number, Record<string, unknown>>();
    let duplicates = 0;
    for (const m of outboxed) {
      const key = `${m.body.boot}/${m.body.seq}`;
      if (bySeq.has(m.body.seq as number)) {
        duplicates++;
        expect(JSON.stringify(bySeq.get(m.body.seq as number)), key).toBe(JSON.stringify(m.body));
      }
      bySeq.set(m.body.seq as number, m.body);
    }
    const seqs = [...bySeq.keys()].sort((a, b) => a - b);
    // Every message the outbox ever held, once: seq runs 1..N without a gap.
    expect(seqs[0]).toBe(1);
    expect(seqs[seqs.length - 1]).toBe(seqs.length);
    const events = seqs.map((s) => bySeq.get(s)!).filter((b) => b.type !== undefined);
    const pick = (e: Record<string, unknown>) => [e.type, e.lane, e.t_ms, e.grams, e.count ?? null, e.sku ?? ""].join("|");
    expect(events.map(pick)).toEqual(reference.events.map((e) => pick(e as unknown as Record<string, unknown>)));
    // The outage really happened under load: the device went offline and came back.
    const states = office.seen.filter((s) => s.topic.endsWith("/status")).map((s) => s.body.state);
    expect(states.filter((s) => s === "online").length).toBeGreaterThanOrEqual(2);
    console.log(`outage replay: ${events.length} events, ${seqs.length} outbox messages, ${duplicates} duplicates dropped, status ${states.join(",")}`);
  }, 600_000);
});
