import fc from "fast-check";
import { SPACING_M, bodyIntervals, crosses, stepsOf, type Body, type Step } from "./gate-script.ts";

/*
 * Random lanes for property tests: bodies walking single file (groups at the sim's least
 * following gap or more, children, carts, loiterers, bodies that turn back), with the door,
 * admissions, the emergency input and flicker shorter than 50 ms all random and unrelated to them.
 * Episodes of bodies are a few seconds apart, so that one episode's leftovers (a body that turned
 * back) are stale by the next (docs/gate.md, "Counting bodies", says what is assumed).
 */

export interface World {
  bodies: Body[];
  steps: Step[];
  endMs: number;
}

const speed = fc.double({ min: 0.6, max: 1.5, noNaN: true });
const length = fc.oneof(fc.double({ min: 0.15, max: 0.3, noNaN: true }), fc.double({ min: 0.3, max: 0.5, noNaN: true }), fc.double({ min: 1.0, max: 1.6, noNaN: true }));

const episode = fc.record({
  kind: fc.constantFrom("group", "group", "loiter", "back"),
  dir: fc.constantFrom("in" as const, "out" as const),
  speedMps: speed,
  lengths: fc.array(length, { minLength: 1, maxLength: 4 }),
  gapsM: fc.array(fc.double({ min: 0.3, max: 1.2, noNaN: true }), { minLength: 4, maxLength: 4 }),
  stopAt: fc.double({ min: 0, max: 1, noNaN: true }),
  stopMs: fc.integer({ min: 100, max: 25_000 }),
  backAt: fc.double({ min: 0, max: 1, noNaN: true }),
  quietMs: fc.integer({ min: 2_000, max: 8_000 }),
});

/** Non-overlapping "on" intervals from sorted distinct times, paired up, each at least 60 ms long. */
function intervals(times: number[]): [number, number][] {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < sorted.length; k += 2) if (sorted[k + 1] - sorted[k] >= 60) out.push([sorted[k], sorted[k + 1]]);
  return out;
}

export const world: fc.Arbitrary<World> = fc.record({
  episodes: fc.array(episode, { minLength: 1, maxLength: 8 }),
  door: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 16 }),
  emergency: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
  admits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
  flicker: fc.array(fc.record({ sig: fc.constantFrom("o" as const, "i" as const, "d" as const, "e" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), ms: fc.integer({ min: 1, max: 45 }) }), { maxLength: 30 }),
}).map(({ episodes, door, emergency, admits, flicker }) => {
  const bodies: Body[] = [];
  let t = 1000;
  for (const e of episodes) {
    const perM = 1000 / e.speedMps;
    if (e.kind === "group") {
      let t0 = t;
      e.lengths.forEach((lengthM, k) => {
        bodies.push({ dir: e.dir, t0: Math.round(t0), speedMps: e.speedMps, lengthM });
        t0 += (lengthM + e.gapsM[k]) * perM;
      });
    } else if (e.kind === "loiter") {
      const lengthM = e.lengths[0];
      bodies.push({ dir: e.dir, t0: t, speedMps: e.speedMps, lengthM, stop: { atM: e.stopAt * (SPACING_M + lengthM), ms: e.stopMs } });
    } else {
      const lengthM = Math.max(e.lengths[0], 0.2);
      let backAtM = 0.05 + e.backAt * (lengthM - 0.07);
      // Not within 5 cm of the far beam, where the far beam would see a blip of flicker's size.
      if (Math.abs(backAtM - SPACING_M) < 0.05) backAtM = SPACING_M - 0.05;
      bodies.push({ dir: e.dir, t0: t, speedMps: e.speedMps, lengthM, backAtM });
    }
    const ends = bodies.map((b) => Math.max(...Object.values(bodyIntervals(b)).map((iv) => iv![1])));
    t = Math.max(...ends) + e.quietMs;
  }
  const endMs = t;
  const on: Record<"o" | "i" | "d" | "e", [number, number][]> = { o: [], i: [], d: intervals(door.map((x) => Math.round(x * endMs))), e: intervals(emergency.map((x) => Math.round(x * endMs))) };
  for (const b of bodies) {
    const { near, far } = bodyIntervals(b);
    on[b.dir === "in" ? "o" : "i"].push(near);
    if (far) on[b.dir === "in" ? "i" : "o"].push(far);
  }
  // Flicker pulses at least 100 ms apart on one signal.
  const pulses: { sig: "o" | "i" | "d" | "e"; t: number; ms: number }[] = [];
  for (const f of flicker) {
    const at = Math.round(f.at * endMs);
    if (pulses.some((p) => p.sig === f.sig && Math.abs(p.t - at) < 100)) continue;
    pulses.push({ sig: f.sig, t: at, ms: f.ms });
  }
  const extra: Step[] = admits.map((x) => ({ t: Math.round(x * endMs), sig: "a", v: 1 }));
  return { bodies, steps: stepsOf(on, pulses, extra), endMs };
});

/** When each crossing body clears its far beam: the instant its event names. */
export const crossingEnds = (w: World) => w.bodies.filter(crosses).map((b) => ({ dir: b.dir, t: bodyIntervals(b).far![1] }));
