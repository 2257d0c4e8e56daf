/*
 * The gate's events through the outbox survive a broker restart (a short version of
 * test/mqtt-outage.test.ts): a live gate on a real mosquitto that keeps its sessions on disk, the
 * broker killed (SIGKILL) while bodies cross the lanes and started again; the back office ends
 * with every event once after dropping duplicates by (boot, seq), each as the serial build
 * reports it for the same trace. On espruino-esp32 and nodemcu-esp8266 (lua5.1).
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateGate } from "../sim/gen/gate-gen.ts";
import { startLiveGate } from "../sim/live/live-gate.ts";
import { replayTrace } from "../sim/replay.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

/** Virtual seconds a wall second: the broker's 300 ms down are 6 s of the gate's clock. */
const SPEED = 20;
const DOWN_WALL_MS = 300;
/**
 * The broker is killed in a stretch this long with no admission (one sent while the device is
 * offline would go late), room for the device's redials (1, 2, 4, 8 s apart) and more.
 */
const QUIET_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), "aisle-gate-outage-"));
/* Exits, forced doors and pushes that give up between admitted entries: long stretches without an admission. */
const generated = generateGate("forced", { seed: 1 });
const tracePath = join(dir, "forced.trace.csv");
writeFileSync(tracePath, generated.trace);
const admissionsMs = generated.trace.split("\n").filter((l) => /,tok-/.test(l)).map((l) => Number(l.split(",")[0]));
const truthMs = generated.truthEvents.map((e) => e.tMs);
/** Where to kill it: 2 s before an event in a stretch without admissions. */
const killMs = truthMs.map((t) => t - 2000).find((k) => k > 5000 && !admissionsMs.some((a) => a >= k - 1000 && a <= k + QUIET_MS));

const brokers: Mosquitto[] = [];
afterAll(async () => {
  for (const b of brokers) await b.stop();
});

describe("the gate's events across a broker restart", () => {
  for (const board of ["espruino-esp32", "nodemcu-esp8266"]) {
    it(`${board}: loses nothing, and after dropping duplicates by (boot, seq) has each event once, as the serial build reports it`, async () => {
      const [reference] = await replayTrace(tracePath, { runners: [board.startsWith("espruino") ? "espruino" : "lua51"] }, () => board);
      const db = join(dir, `db-${board}`);
      mkdirSync(db);
      chmodSync(dir, 0o755);
      chmodSync(db, 0o777);
      const broker = await new Mosquitto({ config: ["persistence true", `persistence_location ${db}/`, "autosave_interval 1"] }).start();
      brokers.push(broker);
      const device = `out-${board.slice(0, 4)}`;
      const office = await MqttWatch.open(broker.url, `aisle/v1/${device}/#`);
      // Saved with the broker's sessions before anything is published, so it outlives the kill.
      await new Promise((r) => setTimeout(r, 1500));
      const live = await startLiveGate({ board, trace: tracePath, brokerUrl: broker.url, deviceId: device, key: Buffer.alloc(32, 3), speed: SPEED });
      if (killMs === undefined) throw new Error("no stretch of the trace to cut the broker in");
      const killUs = killMs * 1000;
      try {
        await live.waitUntilUs(killUs, 120000);
        await broker.kill();
        await new Promise((r) => setTimeout(r, DOWN_WALL_MS));
        await broker.start();
        await live.waitUntilFed(3e6, 240000);
        const count = () => new Set(office.on("/event").map((e) => e.seq)).size;
        await office.until(() => count() >= reference.events.length, `${reference.events.length} events`, 60000);
      } finally {
        await live.stop();
        await office.close();
      }
      const bySeq = new Map<string, Record<string, unknown>>();
      for (const s of office.seen) {
        if (s.retain || s.body.seq === undefined) continue;
        const key = `${s.body.boot}/${s.body.seq}`;
        if (bySeq.has(key)) expect(JSON.stringify(bySeq.get(key)), key).toBe(JSON.stringify(s.body));
        bySeq.set(key, s.body);
      }
      const messages = [...bySeq.values()].sort((a, b) => (a.seq as number) - (b.seq as number));
      expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
      const pick = (e: Record<string, unknown>) => `${e.type}|${e.lane}|${e.t_ms}`;
      const events = messages.filter((m) => m.kind === undefined);
      expect(events.map(pick)).toEqual(reference.events.map((e) => pick(e as unknown as Record<string, unknown>)));
      // Some were made while the broker was down (for 6 s of the gate's clock from killUs at least), and went out of the outbox after.
      const during = events.filter((e) => (e.t_ms as number) * 1000 > killUs && (e.t_ms as number) * 1000 < killUs + 5e6);
      expect(during.length).toBeGreaterThanOrEqual(1);
      const states = office.seen.filter((s) => s.topic.endsWith("/status")).map((s) => s.body.state);
      expect(states.filter((s) => s === "online").length).toBeGreaterThanOrEqual(2);
      expect(live.admissions.results.every((a) => a.reply?.ok === true && a.sentUs === a.tUs)).toBe(true);
      console.log(`${board} gate outage: ${events.length} events, ${during.length} made while the broker was down, status ${states.join(",")}`);
    }, 300_000);
  }
});
