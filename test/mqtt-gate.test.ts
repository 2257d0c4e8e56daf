/*
 * Issue #6, point 3: the gate on MQTT, live on a real mosquitto, on the Espruino ESP32 build and
 * the NodeMCU ESP8266 build under lua5.1. Generated traces (admitted entries, tailgates and exits;
 * two lanes with the emergency input), their admissions sent as signed admit commands by the
 * admission server, give the events and health the serial build gives on a replay of the same
 * trace (type, lane, t_ms, after dropping duplicates by (boot, seq)); a reused token is refused and reported, an expired
 * admission refused and reported, a forged one refused (and not reported: anyone can forge).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateGate } from "../sim/gen/gate-gen.ts";
import { startLiveGate, type LiveGate } from "../sim/live/live-gate.ts";
import { replayTrace, type ReplayEntry } from "../sim/replay.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

const KEY = Buffer.from("a7".repeat(32), "hex");
const dir = mkdtempSync(join(tmpdir(), "aisle-gate-mqtt-"));
const traces = ["tailgate", "emergency"].map((scenario) => {
  const path = join(dir, `${scenario}.trace.csv`);
  const generated = generateGate(scenario, { seed: 1 });
  writeFileSync(path, generated.trace);
  return { scenario, path, admissions: generated.trace.split("\n").filter((l) => /,tok-/.test(l)).length };
});

let broker: Mosquitto;
beforeAll(async () => {
  broker = await new Mosquitto().start();
});
afterAll(async () => {
  await broker.stop();
});

type Msg = Record<string, unknown>;
const pick = (e: Msg) => `${e.type}|${e.lane}|${e.t_ms}`;

/** The messages that went through the outbox on a topic, each once: duplicates dropped by (boot, seq), as a consumer does. */
function deduped(watch: MqttWatch, suffix: string): Msg[] {
  const seen = new Map<string, Msg>();
  for (const m of watch.on(suffix)) if (m.seq !== undefined) seen.set(`${m.boot}/${m.seq}`, m);
  return [...seen.values()].sort((a, b) => (a.seq as number) - (b.seq as number));
}

for (const board of ["espruino-esp32", "nodemcu-esp8266"]) for (const trace of traces) {
  describe(`the gate on MQTT on ${board}, ${trace.scenario} trace`, () => {
    const device = `gate-${board.slice(0, 4)}-${trace.scenario.slice(0, 4)}`;
    let reference: ReplayEntry;
    let watch: MqttWatch;
    let live: LiveGate;

    beforeAll(async () => {
      [reference] = await replayTrace(trace.path, { runners: [board.startsWith("espruino") ? "espruino" : "lua51"] }, () => board);
      expect(reference.firmwareErrors).toEqual([]);
      watch = await MqttWatch.open(broker.url, `aisle/v1/${device}/#`);
      // At speed max the board's clock outruns the broker's answers: a 30 s keepalive on that clock can
      // pass before a loaded broker's PINGRESP, and the device, rightly, dials again. An hour's keeps
      // the test on what it checks (keepalive and reconnection have tests of their own).
      live = await startLiveGate({ board, trace: trace.path, brokerUrl: broker.url, deviceId: device, key: KEY, speed: "max", keepaliveS: 3600 });
    }, 60000);
    afterAll(async () => {
      await live?.stop();
      await watch?.close();
    });

    it("publishes the serial replay's events and health for a trace whose admissions come as signed commands", async () => {
      await live.waitUntilFed(3e6, 120000);
      const kinds = new Set(reference.events.map((e) => e.type));
      expect([...kinds]).toEqual(expect.arrayContaining(trace.scenario === "tailgate" ? ["entry", "exit", "tailgate"] : ["entry", "exit"]));
      expect(reference.health.length).toBe(trace.scenario === "tailgate" ? 0 : 10);
      await watch.until(() => deduped(watch, "/event").length >= reference.events.length, `${reference.events.length} events`);
      const events = deduped(watch, "/event");
      expect(events.map(pick)).toEqual(reference.events.map((e) => pick(e as unknown as Msg)));
      const health = deduped(watch, "/health").filter((h) => h.kind === "gate");
      expect(health.map(pick)).toEqual(reference.health.map(pick));
      // One seq for every message of the outbox, from 1, and every one carries (dev, boot).
      const all = [...events, ...deduped(watch, "/health")].sort((a, b) => (a.seq as number) - (b.seq as number));
      expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all.every((m) => m.dev === device && m.boot === 1 && m.v === 1)).toBe(true);
      // Every admission of the trace was accepted, at its own instant.
      const admits = live.admissions.results;
      expect(admits.length).toBe(trace.admissions);
      expect(admits.every((a) => a.reply?.ok === true && a.sentUs === a.tUs && a.reply.t_ms === Math.floor(a.tUs / 1000))).toBe(true);
      expect(watch.on("/status").map((s) => s.state)).toEqual(["online"]);
      const shown = await live.admissions.command("show");
      for (const [i, lane] of (shown.lanes as Msg[]).entries()) {
        for (const kind of kinds) expect(lane[kind], kind).toBe(reference.events.filter((e) => e.type === kind && e.lane === `G${i + 1}`).length);
      }
      expect(shown).toMatchObject({ ok: true, rejected: 0, outbox: 0, outbox_dropped: 0 });
    }, 150000);

    // The refusals once, on the trace of admitted entries.
    if (trace.scenario === "tailgate") {
      it("refuses a reused token as token_used, an expired admission as expired, a forged one as bad_mac; reports the first two on health", async () => {
        const s = live.admissions;
        // All at one instant of the board's clock: the first token stays in force throughout.
        s.pause(true);
        expect(await s.admit(0, "door-7f3a")).toMatchObject({ ok: true });
        expect(await s.admit(0, "door-7f3a")).toMatchObject({ ok: false, error: "token_used", detail: "token" });
        expect(await s.admit(0, "forged-1", { key: Buffer.alloc(32, 1) })).toMatchObject({ ok: false, error: "bad_mac" });
        const nowMs = s.deviceNowMs();
        expect(await s.admit(0, "late-1", { expMs: nowMs - 1 })).toMatchObject({ ok: false, error: "expired" });
        expect(await s.admit(0, "old-boot", { boot: 7 })).toMatchObject({ ok: false, error: "expired" });
        await watch.until(() => deduped(watch, "/health").filter((h) => h.kind === "admit_refused").length >= 3, "three refusals on health");
        const refused = deduped(watch, "/health").filter((h) => h.kind === "admit_refused");
        expect(refused.map((r) => [r.error, r.lane, r.token])).toEqual([["token_used", "G1", "door-7f3a"], ["expired", "G1", "late-1"], ["expired", "G1", "old-boot"]]);
        expect(refused.every((r) => r.dev === device && typeof r.t_ms === "number" && typeof r.id === "string")).toBe(true);
        const shown = await s.command("show");
        s.pause(false);
        // One admission in force, the first door-7f3a's; none from the refused ones.
        expect(shown).toMatchObject({ ok: true, rejected: 4, tokens: 1, t_ms: nowMs });
        expect((shown.lanes as Msg[])[0].state).toBe("admitted");
      }, 60000);

      it("reboots on a signed reboot: offline (its will), online as boot 2, admitting again with the new boot", async () => {
        const s = live.admissions;
        // At speed "max" a keepalive of 30 s on the board's clock can pass before a loaded broker's
        // PINGRESP, and the device then reconnects as boot 1 (will, online1): legitimate, so only
        // what follows the reboot command is asserted.
        const before = watch.on("/status").length;
        expect(await s.command("reboot")).toMatchObject({ ok: true, boot: 1 });
        await watch.until(() => watch.on("/status").some((m) => m.state === "online" && m.boot === 2), "boot 2 online");
        const statuses = watch.on("/status").map((m) => `${m.state}${m.boot ?? ""}`);
        expect(statuses[0]).toBe("online1");
        expect(statuses.slice(before).slice(0, 2)).toEqual(["offline", "online2"]);
        expect(statuses.slice(before)).not.toContain("online1");
        s.pause(true);
        expect(await s.admit(0, "after-reboot")).toMatchObject({ ok: true, boot: 2 });
        expect(await s.admit(0, "before-reboot", { boot: 1 })).toMatchObject({ ok: false, error: "expired" });
        // Counts, tokens and refusals are the boot's: boot 2 starts afresh, its seq from 1.
        expect(await s.command("show")).toMatchObject({ ok: true, boot: 2, tokens: 1, rejected: 1 });
        s.pause(false);
        await watch.until(() => watch.on("/health").some((h) => h.boot === 2 && h.kind === "admit_refused"), "boot 2's refusal");
        expect(watch.on("/health").find((h) => h.boot === 2 && h.kind === "admit_refused")).toMatchObject({ seq: 1, token: "before-reboot", error: "expired" });
      }, 60000);
    }
  });
}
