/*
 * A cell's calibration (calibration.ts) as one array of numbers, [offset, counts1, grams1,
 * counts2, grams2, ...], and the maths on it. The pipeline weighs with this form: on NodeMCU it is
 * one Lua table a cell where a CellCal is three, whose fields cost 28 bytes each (docs/lua-heap.md).
 */
import type { CellCal } from "./calibration";

export function flatCal(c: CellCal): number[] {
  const f: number[] = [c.offset];
  for (let k = 0; k < c.counts.length; k++) {
    f.push(c.counts[k]);
    f.push(c.grams[k]);
  }
  return f;
}

/** The CellCal a flat calibration holds, the same numbers. */
export function cellCalOf(f: number[]): CellCal {
  const counts: number[] = [];
  const grams: number[] = [];
  for (let i = 1; i < f.length; i = i + 2) {
    counts.push(f[i]);
    grams.push(f[i + 1]);
  }
  return { offset: f[0], counts: counts, grams: grams };
}

/** Which segment holds x counts above offset: the first whose end lies at or beyond it, or the last. Its end point is f[2k+1], f[2k+2]. */
function segmentOf(f: number[], x: number): number {
  const last = (f.length - 1) / 2 - 1;
  let k = 0;
  while (k < last && x > f[2 * k + 1]) {
    k++;
  }
  return k;
}

/*
 * Grams on the segment that holds the reading, or the nearest one. Relative to the offset
 * first, and the slope divided out before it multiplies: float32-safe, and no integer product
 * for Lua 5.3's 32-bit integers to wrap.
 */
export function flatGrams(f: number[], raw: number): number {
  const x = raw - f[0];
  const k = segmentOf(f, x);
  const x0 = k === 0 ? 0 : f[2 * k - 1];
  const g0 = k === 0 ? 0 : f[2 * k];
  return g0 + (x - x0) * ((f[2 * k + 2] - g0) / (f[2 * k + 1] - x0));
}

/** The slope of the segment flatGrams uses for `raw`. */
export function flatSlope(f: number[], raw: number): number {
  const k = segmentOf(f, raw - f[0]);
  const x0 = k === 0 ? 0 : f[2 * k - 1];
  const g0 = k === 0 ? 0 : f[2 * k];
  return (f[2 * k + 2] - g0) / (f[2 * k + 1] - x0);
}
