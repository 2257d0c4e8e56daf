import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Random } from "../sim/gen/random.ts";
import { SCENARIO_NAMES, buildScene } from "../sim/gen/shelf-scenarios.ts";
import { renderShelf } from "../sim/gen/shelf-render.ts";
import { allRunners, boardFor, parityOf, replayTrace, type ReplayEntry } from "../sim/replay.ts";

/*
 * Issue #3's accuracy targets, on the generated suite (every scenario, fixed seed) at both HX711
 * rates, replayed on every runner. The figures are printed; the targets are asserted.
 */

const SEED = 1;
const pick = (r: Parameters<typeof boardFor>[0]) => boardFor(r);

interface Figures {
  events: number;
  f1: number;
  countAccuracy: number;
  gramsMae: number;
  medianLatencyMs: number;
  phantomsWhereNoneBelong: number;
}

function pooled(entries: ReplayEntry[]): Figures {
  let detected = 0;
  let truth = 0;
  let matched = 0;
  let counted = 0;
  let countRight = 0;
  let gramsErr = 0;
  let noEventPhantoms = 0;
  const latency: number[] = [];
  for (const e of entries) {
    const s = e.score!;
    detected += s.detected;
    truth += s.truth;
    matched += s.matched;
    if (/-(touch|lean|faults)\./.test(e.trace)) noEventPhantoms += s.phantoms.length;
    for (const { truth: t, detected: d } of s.pairs) {
      latency.push(d.t_ms - t.tEndMs);
      counted++;
      if (d.count === t.count) countRight++;
      gramsErr += Math.abs((d.grams as number) - t.grams!);
    }
  }
  const p = matched / detected;
  const r = matched / truth;
  latency.sort((a, b) => a - b);
  return { events: truth, f1: (2 * p * r) / (p + r), countAccuracy: countRight / counted, gramsMae: gramsErr / counted, medianLatencyMs: latency[Math.floor(latency.length / 2)], phantomsWhereNoneBelong: noEventPhantoms };
}

for (const rate of [80, 10]) {
  describe(`the shelf on the generated suite at ${rate} SPS`, () => {
    const byRunner = new Map<string, ReplayEntry[]>();
    let parity = true;

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), `aisle-suite-${rate}-`));
      for (const name of SCENARIO_NAMES) {
        const out = renderShelf(buildScene(name, { seed: SEED, rateHz: rate }), new Random(SEED + 1));
        writeFileSync(join(dir, `s-${name}.trace.csv`), out.trace);
        writeFileSync(join(dir, `s-${name}.truth.jsonl`), out.truth);
        const entries = await replayTrace(join(dir, `s-${name}.trace.csv`), { runners: allRunners() }, pick);
        parity &&= parityOf(entries);
        for (const e of entries) {
          expect(e.firmwareErrors, `${e.runner} on ${name}`).toEqual([]);
          byRunner.set(e.runner, [...(byRunner.get(e.runner) ?? []), e]);
        }
      }
    }, 600_000);

    it("publishes the same events on every runner, for every trace", () => {
      expect(parity).toBe(true);
    });

    it("reports every kind of HX711 fault as health events, the same on every runner, and never as a pick", () => {
      const faults = [...byRunner.values()].map((entries) => entries.find((e) => e.trace.endsWith("s-faults.trace.csv"))!.health);
      for (const h of faults) expect(h).toEqual(faults[0]);
      const kinds = new Set(faults[0].map((h) => h.fault));
      for (const kind of ["saturation", "stuck", "glitch", "not_ready"]) expect(kinds, kind).toContain(kind);
      expect(faults[0].filter((h) => h.fault === "saturation" && h.active === true).length).toBeGreaterThan(0);
      expect(faults[0].filter((h) => h.fault === "saturation" && h.active === false).length).toBeGreaterThan(0);
    });

    it("meets the targets: F1 ≥ 0.99, counts ≥ 0.99, grams error ≤ 3 g, median latency ≤ 1 s, no event from touches, leans or faults", () => {
      const f = pooled(byRunner.get("source")!);
      console.log(`${rate} SPS, ${f.events} events: F1 ${f.f1.toFixed(4)}, count accuracy ${f.countAccuracy.toFixed(4)}, grams MAE ${f.gramsMae.toFixed(2)} g, median latency ${f.medianLatencyMs} ms, phantoms in touch/lean/faults ${f.phantomsWhereNoneBelong}`);
      expect(f.events).toBeGreaterThanOrEqual(300);
      expect(f.f1).toBeGreaterThanOrEqual(0.99);
      expect(f.countAccuracy).toBeGreaterThanOrEqual(0.99);
      expect(f.gramsMae).toBeLessThanOrEqual(3);
      expect(f.medianLatencyMs).toBeLessThanOrEqual(1000);
      expect(f.phantomsWhereNoneBelong).toBe(0);
    });
  });
}
