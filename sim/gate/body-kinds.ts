import type { Random } from "../gen/random.ts";
import type { BodyKind, BodySpec } from "./body.ts";

/**
 * Body sizes (depth along the walk) and walking speeds, uniform in these ranges. No body walks
 * faster than 1.5 m/s, so a follower FOLLOW_GAP_M behind leaves each beam clear for at least
 * 200 ms; the shortest, fastest child breaks a beam for 0.15 / 1.5 = 100 ms.
 */
export const BODY_RANGES: Record<BodyKind, { lengthM: [number, number]; speedMps: [number, number] }> = {
  adult: { lengthM: [0.3, 0.45], speedMps: [0.9, 1.5] },
  child: { lengthM: [0.15, 0.25], speedMps: [0.8, 1.5] },
  /** A shopper behind a trolley: one body, trolley and person. */
  cart: { lengthM: [1.3, 1.8], speedMps: [0.7, 1.1] },
  /** A pram, a wheelchair, a person pulling a case. */
  long: { lengthM: [0.9, 1.3], speedMps: [0.8, 1.2] },
};

export function makeBody(rnd: Random, kind: BodyKind, dir: "in" | "out", extra: Partial<BodySpec> = {}): BodySpec {
  const r = BODY_RANGES[kind];
  const lengthM = Math.round(rnd.between(r.lengthM[0], r.lengthM[1]) * 1000) / 1000;
  const speedMps = Math.round(rnd.between(r.speedMps[0], r.speedMps[1]) * 100) / 100;
  return { kind, lengthM, speedMps, dir, pushMs: rnd.int(150, 400), ...extra };
}
