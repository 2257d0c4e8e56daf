import type { Random } from "../gen/random.ts";
import type { LevelChange } from "./gate-lane.ts";

/** How often a beam flickers: spurious breaks while clear, spurious clears while broken (legs, a cart's wire basket). */
export interface FlickerRates {
  breaksPerMin: number;
  clearsPerS: number;
}

export const NO_FLICKER: FlickerRates = { breaksPerMin: 0, clearsPerS: 0 };
/** Every flicker pulse is shorter than this; real breaks and clears last at least twice as long. */
export const FLICKER_MAX_MS = 50;
/** A pulse keeps this far from every real change of its beam and from the pulse before. */
export const FLICKER_CLEARANCE_MS = 100;

/**
 * Adds flicker to a beam's real levels: pulses of the opposite level, 3–45 ms long, each at
 * least FLICKER_CLEARANCE_MS away from any real change and from each other, at random times
 * (exponential gaps) at the given rates. Removing every pulse shorter than FLICKER_MAX_MS gives
 * the real levels back exactly, so a firmware that ignores sub-50 ms pulses sees the bodies.
 */
export function addFlicker(real: LevelChange[], endMs: number, rates: FlickerRates, rnd: Random): LevelChange[] {
  if (rates.breaksPerMin <= 0 && rates.clearsPerS <= 0) return real.slice();
  const out: LevelChange[] = [];
  let level = 0;
  let from = 0;
  const stretch = (to: number) => {
    const perMs = level === 0 ? rates.breaksPerMin / 60_000 : rates.clearsPerS / 1000;
    let t = from + FLICKER_CLEARANCE_MS;
    while (perMs > 0) {
      t += Math.round(-Math.log(1 - rnd.next()) / perMs);
      const len = rnd.int(3, 45);
      if (t + len > to - FLICKER_CLEARANCE_MS) break;
      out.push({ tMs: t, level: 1 - level }, { tMs: t + len, level });
      t += len + FLICKER_CLEARANCE_MS;
    }
  };
  for (const c of real) {
    stretch(c.tMs);
    out.push(c);
    level = c.level;
    from = c.tMs;
  }
  stretch(endMs);
  return out;
}

/** The levels with every pulse shorter than minMs taken out: what a 50 ms filter makes of a beam. */
export function withoutPulses(changes: LevelChange[], minMs: number): LevelChange[] {
  const out: LevelChange[] = [];
  for (let i = 0; i < changes.length; i++) {
    const next = changes[i + 1];
    if (next && next.tMs - changes[i].tMs < minMs) {
      i++;
      continue;
    }
    const last = out.at(-1);
    if (last && last.level === changes[i].level) continue;
    out.push(changes[i]);
  }
  return out;
}
