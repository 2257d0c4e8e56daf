import { describe, expect, it } from "vitest";
import { FLICKER_MAX_MS, withoutPulses } from "../sim/gate/beam-flicker.ts";
import type { LevelChange } from "../sim/gate/gate-lane.ts";
import { ADMIT_WINDOW_MS, HELD_OPEN_LIMIT_MS } from "../sim/gate/lane-geometry.ts";
import { generateGate, simulateGate } from "../sim/gen/gate-gen.ts";
import { GATE_SCENARIO_NAMES } from "../sim/gen/gate-scenarios.ts";
import { parseTrace } from "../sim/trace/trace-reader.ts";
import type { GateTrace } from "../sim/trace/trace-types.ts";
import { parseTruth } from "../sim/trace/truth.ts";

const SEED = 1;
const suite = Object.fromEntries(GATE_SCENARIO_NAMES.map((n) => [n, generateGate(n, { seed: SEED })]));

/** Each column's changes from a gate trace as read back: levels for held signals, tokens for admit. */
function timelines(trace: GateTrace) {
  const cols = trace.columns.map((c) => ({ ...c, name: c.lane < 0 ? "emergency" : `${trace.lanes[c.lane]}.${c.signal}`, changes: [] as { tMs: number; value: number | string }[] }));
  for (const ch of trace.changes) cols[ch.column].changes.push({ tMs: ch.tUs / 1000, value: ch.value });
  const col = (name: string) => cols.find((c) => c.name === name)!.changes;
  const real = (name: string) => withoutPulses(col(name).map((c) => ({ tMs: c.tMs, level: c.value as number })), FLICKER_MAX_MS);
  return { col, real };
}

const breakEndingAt = (beam: LevelChange[], tMs: number) => {
  const i = beam.findIndex((c) => c.tMs === tMs && c.level === 0);
  return i > 0 && beam[i - 1].level === 1 ? beam[i - 1].tMs : undefined;
};
const lastBreakBefore = (beam: LevelChange[], tMs: number) => beam.filter((c) => c.level === 1 && c.tMs < tMs).at(-1)?.tMs;
const levelAt = (beam: LevelChange[], tMs: number, initial: number) => beam.filter((c) => c.tMs <= tMs).at(-1)?.level ?? initial;

describe("aisle gen gate's scenarios", () => {
  it("give the same bytes for the same seed, and other bytes for another", () => {
    for (const name of ["single", "flicker", "emergency"]) {
      const again = generateGate(name, { seed: SEED });
      expect(again.trace).toBe(suite[name].trace);
      expect(again.truth).toBe(suite[name].truth);
      expect(generateGate(name, { seed: SEED + 1 }).trace).not.toBe(suite[name].trace);
    }
  });

  it("make, with seed 1, a suite of at least 300 passages with every kind of truth event", () => {
    const passages = GATE_SCENARIO_NAMES.reduce((a, n) => a + suite[n].passages, 0);
    console.log(`gate suite, seed ${SEED}: ${GATE_SCENARIO_NAMES.map((n) => `${n} ${suite[n].passages}`).join(", ")}; ${passages} passages`);
    expect(passages).toBeGreaterThanOrEqual(300);
    const types = (n: string) => new Set(suite[n].truthEvents.map((e) => e.type));
    expect(types("tailgate").has("tailgate")).toBe(true);
    expect(types("children").has("tailgate")).toBe(true);
    expect(types("wrong-way").has("wrong_way")).toBe(true);
    expect(types("forced").has("forced")).toBe(true);
    expect(types("held-open").has("held_open")).toBe(true);
    for (const n of ["single", "groups", "carts", "loiter", "emergency", "flicker"]) expect([...types(n)].sort()).toEqual(n === "flicker" ? ["entry", "exit", "tailgate"] : ["entry", "exit"]);
  });

  it.each(GATE_SCENARIO_NAMES)("%s: the trace reads back, and each truth event is there in its signals", (name) => {
    const g = suite[name];
    const trace = parseTrace(g.trace, `${name}.trace.csv`) as GateTrace;
    expect(trace.kind).toBe("gate");
    const truth = parseTruth(g.truth, `${name}.truth.jsonl`, "gate");
    expect(truth).toHaveLength(g.events);
    const { col, real } = timelines(trace);
    const emergency = real("emergency");
    for (const e of truth) {
      const L = e.lane;
      const t = e.tStartMs;
      const [outer, inner, door] = [real(`${L}.beam_outer`), real(`${L}.beam_inner`), col(`${L}.door_closed`) as { tMs: number; value: number }[]];
      const doorLevels = door.map((c) => ({ tMs: c.tMs, level: c.value }));
      if (e.type === "exit") {
        // Broke the inner beam, then the outer, and the outer clears at t: it is out.
        const b = breakEndingAt(outer, t);
        expect(b, `${name} exit at ${t}`).toBeDefined();
        expect(lastBreakBefore(inner, b!)).toBeDefined();
      } else if (e.type === "forced") {
        expect(doorLevels.find((c) => c.tMs === t)?.level).toBe(0);
        expect(levelAt(emergency, t, 0)).toBe(0);
        expect([levelAt(outer, t, 0), levelAt(inner, t, 0)]).toEqual([1, 0]);
      } else if (e.type === "held_open") {
        const opened = doorLevels.filter((c) => c.tMs <= t).at(-1)!;
        expect([opened.level, opened.tMs]).toEqual([0, t - HELD_OPEN_LIMIT_MS]);
      } else {
        // entry, tailgate, wrong_way: broke the outer beam, then the inner, and the inner clears at t.
        const b = breakEndingAt(inner, t);
        expect(b, `${name} ${e.type} at ${t}`).toBeDefined();
        const o = lastBreakBefore(outer, b!);
        expect(o).toBeDefined();
        if (e.type === "entry") expect((col(`${L}.admit`) as { tMs: number }[]).some((a) => a.tMs <= o! && a.tMs >= o! - ADMIT_WINDOW_MS)).toBe(true);
      }
    }
  });

  it.each(GATE_SCENARIO_NAMES)("%s: every body that crossed has one passage event, at its crossing, and no other body has one", (name) => {
    const run = simulateGate(name, { seed: SEED });
    for (const lane of run.lanes) {
      const events = lane.finish();
      for (const b of lane.bodies) {
        const mine = events.filter((e) => e.bodyId === b.id);
        if (b.crossedMs < 0) expect(mine).toEqual([]);
        else expect(mine.map((e) => [e.type === "exit", e.tMs])).toEqual([[b.spec.dir === "out", b.crossedMs]]);
      }
    }
  });

  it.each(GATE_SCENARIO_NAMES)("%s keeps the margins a controller needs (beams, admission window, held-open limit)", (name) => {
    for (const seed of [1, 2]) {
      const run = simulateGate(name, { seed });
      for (const lane of run.lanes) {
        lane.finish();
        for (const beam of [lane.outer, lane.inner]) {
          for (let i = 0; i + 1 < beam.length; i++) expect(beam[i + 1].tMs - beam[i].tMs).toBeGreaterThanOrEqual(beam[i].level === 1 ? 100 : 200);
        }
        for (const a of lane.admissions.all) {
          if (a.usedMs >= 0) expect(a.claimedMs - a.tMs).toBeLessThanOrEqual(8000);
          else expect(lane.bodies.filter((b) => b.spec.dir === "in" && b.crossedMs >= 0 && b.reachedMs > a.tMs && b.reachedMs < a.tMs + 22_000)).toEqual([]);
        }
        for (const o of lane.openings) {
          // Pushed from one side only: from the street with the outer beam broken, from the store with the inner.
          const sides = [levelAt(lane.outer, o.startMs, 0), levelAt(lane.inner, o.startMs, 0)];
          expect(sides[0] + sides[1], `${name} ${lane.id} opening at ${o.startMs}`).toBe(1);
          if (o.forced) expect(sides).toEqual([1, 0]);
          const ms = o.endMs - o.startMs;
          expect(ms < 12_000 || ms >= 20_000, `${name} seed ${seed} ${lane.id}: an opening of ${ms} ms`).toBe(true);
          if (run.emergency.intervals.some((i) => i.startMs < o.endMs && i.endMs > o.startMs)) expect(ms).toBeLessThan(12_000);
        }
      }
    }
  });

  it("flickers in the flicker and carts scenarios only, always shorter than 50 ms", () => {
    for (const name of GATE_SCENARIO_NAMES) {
      const trace = parseTrace(suite[name].trace, name) as GateTrace;
      const { col, real } = timelines(trace);
      let pulses = 0;
      for (const lane of trace.lanes) {
        for (const beam of [`${lane}.beam_outer`, `${lane}.beam_inner`]) {
          const raw = col(beam) as { tMs: number; value: number }[];
          const kept = real(beam);
          pulses += (raw.length - kept.length) / 2;
          for (let i = 0; i + 1 < raw.length; i++) {
            const d = raw[i + 1].tMs - raw[i].tMs;
            expect(d < FLICKER_MAX_MS || d >= 100).toBe(true);
          }
        }
      }
      if (name === "flicker" || name === "carts") expect(pulses, name).toBeGreaterThan(20);
      else expect(pulses, name).toBe(0);
    }
  });

  it("interrupts a passage with an emergency: the alarm comes on while an admitted body is in the outer beam", () => {
    const run = simulateGate("emergency", { seed: SEED });
    const [g1] = run.lanes;
    expect(run.emergency.intervals.length).toBeGreaterThan(2);
    for (const i of run.emergency.intervals) {
      const b = g1.bodies.find((x) => x.spec.dir === "in" && x.reachedMs < i.startMs && (x.crossedMs > i.startMs || x.crossedMs < 0) && x.spawnMs < i.startMs && i.startMs - x.reachedMs <= 600);
      expect(b, `emergency at ${i.startMs}`).toBeDefined();
    }
  });
});
