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
 */

export const OUTER = 0;
export const INNER = 1;
/** Crossing directions: into the store (outer beam first), and out of it. */
export const IN = 1;
export const OUT = 2;

export class CrossingTracker {
  /* Per beam: broken now, and since when; the start and end of its last interval no crossing has used (start -1: none). */
  private readonly on: boolean[] = [false, false];
  private readonly since: number[] = [0, 0];
  private readonly waitStart: number[] = [-1, -1];
  private readonly waitEnd: number[] = [0, 0];

  constructor(private readonly maxGapMs: number) {}

  busy(): boolean {
    return this.on[OUTER] || this.on[INNER];
  }

  broken(beam: number): boolean {
    return this.on[beam];
  }

  /** A settled change of a beam (OUTER or INNER): IN or OUT when it completes a crossing, else 0. */
  edge(beam: number, broken: boolean, tMs: number): number {
    if (broken) {
      this.on[beam] = true;
      this.since[beam] = tMs;
      return 0;
    }
    if (!this.on[beam]) {
      return 0;
    }
    this.on[beam] = false;
    const start = this.since[beam];
    const other = 1 - beam;
    const otherStart = this.waitStart[other];
    if (otherStart >= 0 && otherStart <= start && start - this.waitEnd[other] <= this.maxGapMs) {
      this.waitStart[other] = -1;
      return other === OUTER ? IN : OUT;
    }
    this.waitStart[beam] = start;
    this.waitEnd[beam] = tMs;
    return 0;
  }
}
