/*
 * Which way bodies cross a lane's two beams (docs/gate.md, "Counting bodies"). Each beam gives
 * intervals, broken to clear. A body that crosses leaves one interval on each beam, and it meets
 * the beam it starts from first on both ends: its front breaks that beam first and its back clears
 * it first. So a crossing is complete when the second beam clears, and it pairs that interval with
 * the one the other beam left before it, if that one began no later and ended no more than
 * maxGapMs before (a child shorter than the beam spacing leaves a gap between the two).
 *
 * Bodies walk the lane single file, so a beam's older unpaired interval is never needed once a
 * newer one is there: one waiting interval a beam is enough. A body that steps into one beam and
 * back leaves an interval no crossing uses; loitering, however long, is one interval; a body that
 * breaks both beams and turns back clears its far beam first and is counted by neither.
 *
 * The tracker is an array of numbers (slots Tr), not a class: a gate lane keeps it as the first
 * slots of its own array (gate-lane.ts), and on NodeMCU a class costs a metatable and tables.
 */

export const OUTER = 0;
export const INNER = 1;
/** Crossing directions: into the store (outer beam first), and out of it. */
export const IN = 1;
export const OUT = 2;

/** Per beam (OUTER, INNER): broken now (1) or not (0), and since when; the start and end of its last interval no crossing has used (start -1: none). */
export const enum Tr {
  ON = 0,
  SINCE = 2,
  WAIT_START = 4,
  WAIT_END = 6,
  SLOTS = 8,
}

/** A tracker with both beams clear: Tr.SLOTS numbers, the first slots of a lane's array. */
function newTracker(): number[] {
  return [0, 0, 0, 0, -1, -1, 0, 0];
}

function trackerBusy(t: number[]): boolean {
  return t[Tr.ON + OUTER] === 1 || t[Tr.ON + INNER] === 1;
}

/** A settled change of a beam (OUTER or INNER): IN or OUT when it completes a crossing, else 0. */
function trackerEdge(t: number[], beam: number, broken: boolean, tMs: number, maxGapMs: number): number {
  if (broken) {
    t[Tr.ON + beam] = 1;
    t[Tr.SINCE + beam] = tMs;
    return 0;
  }
  if (t[Tr.ON + beam] === 0) {
    return 0;
  }
  t[Tr.ON + beam] = 0;
  const start = t[Tr.SINCE + beam];
  const other = 1 - beam;
  const otherStart = t[Tr.WAIT_START + other];
  if (otherStart >= 0 && otherStart <= start && start - t[Tr.WAIT_END + other] <= maxGapMs) {
    t[Tr.WAIT_START + other] = -1;
    return other === OUTER ? IN : OUT;
  }
  t[Tr.WAIT_START + beam] = start;
  t[Tr.WAIT_END + beam] = tMs;
  return 0;
}

export { newTracker, trackerBusy, trackerEdge };
