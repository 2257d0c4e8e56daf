/*
 * What calibration needs to know of each cell: its raw mean over the last second, and whether the
 * plate was still during it. Tare and span take the mean only when it is stable, so that a hand
 * still on the plate, or a weight still swinging, makes the command fail ("unstable") instead of
 * writing a wrong calibration.
 */

/** A window is still when its batch means spread less than this many standard errors of one mean. */
const STILL_SPREAD_SIGMAS = 6;
/** A floor for the spread, in counts, so a very quiet cell is not held to a few counts. */
const STILL_SPREAD_FLOOR = 40;
const WINDOW_MS = 1000;
/** A window older than this is no longer the plate's state. */
const FRESH_MS = 2500;

/* Per cell, in one array (one table in Lua rather than eight, nor an object of eight fields): the window's sum of batch means, */
const SUM = 0;
/* its batches, their lowest and highest mean, the sum of their variances of a mean, when it began (-1: not begun), */
const BATCHES = 1;
const LO = 2;
const HI = 3;
const VAR_SUM = 4;
const SINCE_MS = 5;
/* and the last complete window: its mean (NaN when it was not still) and when it ended. */
const STABLE_MEAN = 6;
const STABLE_AT_MS = 7;
const FIELDS = 8;

export interface CellMonitor {
  /** A batch's mean and variance (counts, counts²) of n samples, the last at tMs. */
  push(cell: number, mean: number, variance: number, n: number, tMs: number): void;
  /** The cell's still mean in raw counts, or NaN when it moved, or has not been read lately. */
  stable(cell: number, nowMs: number): number;
}

/** A fresh monitor's state for cellCount cells: FIELDS slots a cell. */
export function monitorState(cellCount: number): number[] {
  const s: number[] = [];
  for (let c = 0; c < cellCount; c++) {
    for (let f = 0; f < FIELDS; f++) {
      s.push(f === SINCE_MS || f === STABLE_AT_MS ? -1 : f === STABLE_MEAN ? NaN : 0);
    }
  }
  return s;
}

/* CellMonitor.push and stable on the state s: what an app that keeps the state alone calls (on NodeMCU an object and two closures less in the Lua heap: docs/lua-heap.md). Exported at the end, as they are called here too. */
function monitorPush(s: number[], cell: number, mean: number, variance: number, n: number, tMs: number): void {
  const k = cell * FIELDS;
  if (s[k + SINCE_MS] < 0) {
    s[k + SINCE_MS] = tMs;
    s[k + LO] = mean;
    s[k + HI] = mean;
  }
  s[k + SUM] = s[k + SUM] + mean;
  s[k + BATCHES] = s[k + BATCHES] + 1;
  s[k + VAR_SUM] = s[k + VAR_SUM] + variance / n;
  s[k + LO] = Math.min(s[k + LO], mean);
  s[k + HI] = Math.max(s[k + HI], mean);
  if (tMs - s[k + SINCE_MS] >= WINDOW_MS && s[k + BATCHES] >= 2) {
    const b = s[k + BATCHES];
    const spreadLimit = Math.max(STILL_SPREAD_FLOOR, STILL_SPREAD_SIGMAS * Math.sqrt(s[k + VAR_SUM] / b));
    s[k + STABLE_MEAN] = s[k + HI] - s[k + LO] <= spreadLimit ? s[k + SUM] / b : NaN;
    s[k + STABLE_AT_MS] = tMs;
    s[k + SUM] = 0;
    s[k + BATCHES] = 0;
    s[k + VAR_SUM] = 0;
    s[k + SINCE_MS] = -1;
  }
}

function monitorStable(s: number[], cell: number, nowMs: number): number {
  const k = cell * FIELDS;
  return nowMs - s[k + STABLE_AT_MS] <= FRESH_MS && s[k + STABLE_AT_MS] >= 0 ? s[k + STABLE_MEAN] : NaN;
}

/** The monitor over the state s (monitorState). */
export function monitorOf(s: number[]): CellMonitor {
  return {
    push(cell: number, mean: number, variance: number, n: number, tMs: number): void {
      monitorPush(s, cell, mean, variance, n, tMs);
    },
    stable(cell: number, nowMs: number): number {
      return monitorStable(s, cell, nowMs);
    },
  };
}

export function cellMonitor(cellCount: number): CellMonitor {
  return monitorOf(monitorState(cellCount));
}

export { monitorPush, monitorStable };
