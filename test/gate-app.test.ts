import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { admitLine, type ConsoleAdmit, type PinLevel } from "../sim/devices/stimuli.ts";
import { EspruinoBoard } from "../sim/espruino/espruino-board.ts";
import { feedDevice } from "../sim/runners/feed.ts";
import { boardConstants, loadBoard } from "../tools/build/board-file.ts";
import { cachedBuild } from "../tools/build/build.ts";
import { traceText } from "../sim/gen/trace-writer.ts";
import { ALARM_MS, BLINK_MS, CHIRP_MS } from "../firmware/core/gate-signals.ts";
import { allRunners, boardFor, parityOf, replayTrace, type ReplayEntry } from "../sim/replay.ts";

/*
 * The gate app (firmware/apps/gate/start.ts) on every runner: the lanes' state machines fed by the
 * real ports, admissions typed on the console as `admit(LANE,"TOKEN")` (docs/gate.md), events
 * printed as "@aisle/DEV/event {json}" with one seq across lanes.
 */

const COLUMNS = ["G1.beam_outer", "G1.beam_inner", "G1.door_closed", "G1.admit", "G2.beam_outer", "G2.beam_inner", "G2.door_closed", "G2.admit", "emergency"];

/** Rows from "T COLUMN VALUE" changes. */
function rows(changes: [number, string, string | number][]): (string | number)[][] {
  const out: (string | number)[][] = [[0, 0, 0, 1, "", 0, 0, 1, "", 0]];
  for (const [t, col, v] of changes) {
    const r: (string | number)[] = [t, ...COLUMNS.map(() => "")];
    r[COLUMNS.indexOf(col) + 1] = v;
    out.push(r);
  }
  return out;
}

/** A body crossing lane L from `from` beam at t: near beam [t, t+400], far beam [t+300, t+700]. */
function body(lane: string, dir: "in" | "out", t: number): [number, string, number][] {
  const [near, far] = dir === "in" ? ["beam_outer", "beam_inner"] : ["beam_inner", "beam_outer"];
  return [[t, `${lane}.${near}`, 1], [t + 300, `${lane}.${far}`, 1], [t + 400, `${lane}.${near}`, 0], [t + 700, `${lane}.${far}`, 0]];
}

/** The two-lane trace of the first test, replayed once on every runner. */
async function replayTwoLanes(): Promise<ReplayEntry[]> {
  const changes: [number, string, string | number][] = [
    [1000, "G1.admit", "tok-a"], [1400, "G1.door_closed", 0], ...body("G1", "in", 1800), [3500, "G1.door_closed", 1],
    [2000, "G2.admit", "tok-b"], [2300, "G2.door_closed", 0], ...body("G2", "in", 2600), ...body("G2", "in", 3500), [5200, "G2.door_closed", 1],
    [8000, "G2.beam_outer", 1], [8900, "G2.door_closed", 0], [9200, "G2.beam_inner", 1], [9300, "G2.beam_outer", 0], [9600, "G2.beam_inner", 0], [11000, "G2.door_closed", 1],
    [12000, "emergency", 1], [12300, "G1.door_closed", 0], ...body("G1", "out", 12100), [16000, "G1.door_closed", 1], [20000, "emergency", 0],
    [22000, "G2.admit", "tok-c"], [22300, "G2.door_closed", 0], ...body("G2", "in", 22600), [45000, "G2.door_closed", 1],
  ];
  changes.sort((a, b) => a[0] - b[0] || COLUMNS.indexOf(a[1]) - COLUMNS.indexOf(b[1]));
  const dir = mkdtempSync(join(tmpdir(), "aisle-gate-app-"));
  const path = join(dir, "two-lanes.trace.csv");
  writeFileSync(path, traceText({ kind: "gate", device: "gate-test" }, COLUMNS, rows(changes)));
  return replayTrace(path, { runners: allRunners() }, (r) => boardFor(r));
}

/** An output's level at tMs from a runner's "T_MS NAME LEVEL" lines (the last change at or before). */
function levelAt(outputs: string[], name: string, tMs: number): number | undefined {
  let level: number | undefined;
  for (const line of outputs) {
    const [t, n, l] = line.split(" ");
    if (Number(t) > tMs) break;
    if (n === name) level = Number(l);
  }
  return level;
}

/** The instants an output went to level within [fromMs, toMs]. */
function edges(outputs: string[], name: string, level: number, fromMs: number, toMs: number): number[] {
  return outputs.map((l) => l.split(" ")).filter(([t, n, v]) => n === name && Number(v) === level && Number(t) >= fromMs && Number(t) <= toMs).map(([t]) => Number(t));
}

describe("the gate app", () => {
  let entries: ReplayEntry[];
  beforeAll(async () => {
    entries = await replayTwoLanes();
  }, 120000);

  it("publishes the same events on every runner: admitted entries, a tailgate, exits, a forced door, the emergency, a door held open", async () => {
    expect(entries.map((e) => e.runner)).toEqual(["source", "espruino", "lua51", "luajit", "lua53"]);
    for (const e of entries) expect(e.firmwareErrors, e.runner).toEqual([]);
    for (const e of entries) expect(e.payloads, e.runner).toEqual(entries[0].payloads);
    expect(parityOf(entries)).toBe(true);
    const published = [
      { type: "entry", lane: "G1", t_ms: 2500 },
      { type: "entry", lane: "G2", t_ms: 3300 },
      { type: "tailgate", lane: "G2", t_ms: 4200 },
      { type: "forced", lane: "G2", t_ms: 8900 },
      { type: "wrong_way", lane: "G2", t_ms: 9600 },
      { type: "emergency", lane: "G1", t_ms: 12000 },
      { type: "emergency", lane: "G2", t_ms: 12000 },
      { type: "exit", lane: "G1", t_ms: 12800 },
      { type: "entry", lane: "G2", t_ms: 23300 },
      { type: "held_open", lane: "G2", t_ms: 37300 },
    ].map((e, k) => ({ ...e, seq: k + 1 }));
    // The emergency is the gate's health, not a passage: it goes to the health topic, out of what is scored.
    expect(entries[0].payloads).toEqual(published.filter((e) => e.type !== "emergency").map((e) => JSON.stringify(e)));
    for (const e of entries) expect(e.health, e.runner).toEqual(published.filter((p) => p.type === "emergency"));
  });

  it("drives each lane's lights and the gate's buzzer as docs/gate.md says, the same on every runner", () => {
    for (const e of entries) expect(e.outputs, e.runner).toEqual(entries[0].outputs);
    const out = entries[0].outputs;
    // Green exactly while the lane's lock is released; before any alarm, red exactly while it is locked.
    for (const lane of ["G1", "G2"]) {
      for (let t = 0; t <= 48000; t += 10) {
        expect(levelAt(out, `${lane}.green`, t), `${lane} green at ${t} ms`).toBe(1 - levelAt(out, `${lane}.lock`, t)!);
      }
      for (let t = 0; t <= 4200; t += 10) expect(levelAt(out, `${lane}.red`, t), `${lane} red at ${t} ms`).toBe(levelAt(out, `${lane}.lock`, t));
    }
    // Each admission chirps at once, for CHIRP_MS to the next tick past it; nothing else sounds before the tailgate.
    expect(edges(out, "buzzer", 1, 0, 4200)).toEqual([1000, 2000]);
    for (const t of [1000, 2000]) {
      const off = edges(out, "buzzer", 0, t, t + 1000)[0] - t;
      expect(off).toBeGreaterThanOrEqual(CHIRP_MS);
      expect(off).toBeLessThanOrEqual(CHIRP_MS + 100);
    }
    // The tailgate (4200 ms, decided at the lanes' next look, by 4400 ms): G2's red, lit for locked,
    // blinks BLINK_MS on, BLINK_MS off, with the buzzer, for ALARM_MS.
    const from = edges(out, "buzzer", 1, 4200, 4400)[0];
    expect(edges(out, "G2.red", 0, from, from + BLINK_MS)).toEqual([from + BLINK_MS]);
    const ons = Array.from({ length: Math.floor((ALARM_MS - 1) / (2 * BLINK_MS)) }, (_, k) => from + (k + 1) * 2 * BLINK_MS);
    expect(edges(out, "G2.red", 1, from + 1, from + ALARM_MS)).toEqual(ons);
    expect(edges(out, "buzzer", 1, from, from + ALARM_MS - 1)).toEqual([from, ...edges(out, "G2.red", 1, from + 1, from + ALARM_MS)]);
    expect(levelAt(out, "G1.red", from + 500)).toBe(1);
    // Quiet and steady again after the alarm: red for locked, no buzzer, until the forced door (8900 ms).
    for (let t = from + ALARM_MS + 100; t < 8900; t += 10) {
      expect(levelAt(out, "G2.red", t), `G2 red at ${t} ms`).toBe(1);
      expect(levelAt(out, "buzzer", t), `buzzer at ${t} ms`).toBe(0);
    }
    // The forced door and the wrong way through it run into one alarm that lasts ALARM_MS past the second.
    const forcedFrom = edges(out, "buzzer", 1, 8900, 9100)[0];
    const lastOn = edges(out, "G2.red", 1, forcedFrom, 20000).at(-1)!;
    expect(lastOn).toBeGreaterThan(9600 + ALARM_MS - 2 * BLINK_MS);
    expect(lastOn).toBeLessThan(9600 + 200 + ALARM_MS);
    // The emergency (12000 to 20000 ms) lights green on both lanes and sounds nothing of its own.
    for (let t = 12100; t < 20000; t += 10) {
      for (const lane of ["G1", "G2"]) expect(levelAt(out, `${lane}.green`, t), `${lane} green at ${t} ms`).toBe(1);
      if (t > lastOn + BLINK_MS) expect(levelAt(out, "buzzer", t), `buzzer at ${t} ms`).toBe(0);
    }
    expect(levelAt(out, "G1.red", 15000)).toBe(0);
    // Held open (37300 ms) beeps until the door shuts (45000 ms), then red is steady and the buzzer quiet.
    const heldFrom = edges(out, "buzzer", 1, 37300, 37500)[0];
    const heldOns = edges(out, "G2.red", 1, heldFrom + 1, 46000);
    expect(heldOns.length).toBeGreaterThan(15);
    expect(heldOns.at(-1)!).toBeLessThanOrEqual(45200);
    expect(levelAt(out, "G2.red", 46000)).toBe(1);
    expect(levelAt(out, "buzzer", 46000)).toBe(0);
    expect(edges(out, "buzzer", 1, 45300, 48000)).toEqual([]);
  });

  it("types an admission as the same call in JavaScript and Lua, any token arriving byte for byte", () => {
    const tokens = ["tok-7f3a", "a \"quoted\" \\ token", "é€ ✓", "0123", "x\n1"];
    const seen: string[] = [];
    for (const token of tokens) new Function("admit", admitLine({ kind: "admit", tUs: 0, lane: 1, token }, "js"))((lane: number, t: string) => seen.push(`${lane} ${t}`));
    expect(seen).toEqual(tokens.map((t) => `1 ${t}`));
    const lua = "function admit(lane, t) io.write(lane, ' ', (t:gsub('.', function(c) return string.format('%02x', c:byte()) end)), '\\n') end\n" +
      tokens.map((token) => admitLine({ kind: "admit", tUs: 0, lane: 1, token }, "lua")).join("\n") + "\n";
    const dir = mkdtempSync(join(tmpdir(), "aisle-admit-"));
    writeFileSync(join(dir, "admit.lua"), lua);
    for (const interpreter of ["lua5.1", "lua5.3"]) {
      expect(execFileSync(interpreter, [join(dir, "admit.lua")], { encoding: "utf8" }).trimEnd().split("\n"), interpreter).toEqual(tokens.map((t) => `1 ${Buffer.from(t, "utf8").toString("hex")}`));
    }
  });

  it("releases the lock within 100 ms of the emergency input in every state, and keeps it released until the input clears (espruino-esp8266, the built bundle, the lock pin watched)", async () => {
    const board = boardConstants(loadBoard("espruino-esp8266"));
    const { beamOuter, beamInner, doorClosed, lock } = board.gateLanes[0];
    const code = (await cachedBuild("espruino-esp8266", "gate")).files["aisle-gate.js"];
    const lines: string[] = [];
    const vb = new EspruinoBoard({ code, filename: "aisle-gate.js", mode: "vm", storage: new Map(), onLine: (l) => lines.push(l) });
    const writes: [number, number][] = [];
    vb.pins.listen(lock, (level) => writes.push([vb.nowUs / 1000, level]));
    vb.pins.drive(doorClosed, 1);
    const pin = (tMs: number, p: number, level: number): PinLevel => ({ kind: "pin", tUs: tMs * 1000, pin: p, level });
    const admit = (tMs: number): ConsoleAdmit => ({ kind: "admit", tUs: tMs * 1000, lane: 0, token: `tok-${tMs}` });
    const em = board.emergency;
    // Emergencies while idle; admitted; a body between the beams with the door open; the door open after an entry; relocked just now.
    const script = [
      pin(1000, em, 1), pin(3000, em, 0),
      admit(5000), pin(6000, em, 1), pin(8000, em, 0),
      admit(10000), pin(10500, doorClosed, 0), pin(11000, beamOuter, 1), pin(11300, beamInner, 1), pin(11350, em, 1), pin(11400, beamOuter, 0), pin(11700, beamInner, 0), pin(14000, em, 0), pin(14500, doorClosed, 1),
      admit(20000), pin(20500, doorClosed, 0), pin(21000, beamOuter, 1), pin(21300, beamInner, 1), pin(21400, beamOuter, 0), pin(21700, beamInner, 0), pin(22000, em, 1), pin(22100, doorClosed, 1), pin(25000, em, 0),
      pin(25300, em, 1), pin(25330, em, 0), pin(25400, em, 1), pin(27000, em, 0),
    ];
    vb.addDevice(feedDevice(script[Symbol.iterator](), (s) => (s.kind === "pin" ? vb.pins.drive(s.pin, s.level) : vb.typeLine(admitLine(s, "js")))));
    vb.boot();
    vb.runUntil(30_000_000);
    expect(vb.errors).toEqual([]);
    const levelAt = (tMs: number) => writes.filter(([t]) => t <= tMs).at(-1)?.[1];
    // The emergency takes the HAL's 20 ms debounce to arrive; the lock goes at once.
    expect(writes.filter(([t]) => t >= 1000 && t < 1100)).toEqual([[1020, 0]]);
    const active: [number, number][] = [[1000, 3000], [6000, 8000], [11350, 14000], [22000, 25000], [25400, 27000]];
    for (const [from, to] of active) {
      const released = levelAt(from) === 0 ? from : (writes.find(([t, level]) => t >= from && level === 0)?.[0] ?? Infinity);
      expect(released - from, `emergency at ${from}`).toBeLessThanOrEqual(100);
      for (let t = from + 100; t <= to; t += 10) expect(levelAt(t), `lock at ${t} ms, emergency since ${from}`).toBe(0);
    }
    // Locked again once an emergency has cleared with no admission in force (those of 5000 and 10000 ms are until 11700 and 20000 ms).
    for (const t of [3300, 25300, 27300]) expect(levelAt(t - 1), `lock at ${t - 1} ms`).toBe(1);
    for (const t of [8300, 14700]) expect(levelAt(t), `lock at ${t} ms`).toBe(0);
    const events = lines.filter((l) => l.startsWith("@")).map((l) => JSON.parse(l.slice(l.indexOf(" ") + 1)) as { type: string; t_ms: number });
    expect(events.map((e) => `${e.type}@${e.t_ms}`)).toEqual(["emergency@1000", "emergency@6000", "emergency@11350", "entry@11700", "entry@21700", "emergency@22000", "emergency@25400"]);
  });
});

