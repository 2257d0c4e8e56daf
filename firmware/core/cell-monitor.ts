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

export class CellMonitor {
  private readonly sum: number[] = [];
  private readonly batches: number[] = [];
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private readonly varSum: number[] = [];
  private readonly sinceMs: number[] = [];
  /** The last complete window: its mean (NaN when it was not still) and when it ended. */
  private readonly stableMean: number[] = [];
  private readonly stableAtMs: number[] = [];

  constructor(cellCount: number) {
    for (let c = 0; c < cellCount; c++) {
      this.sum.push(0);
      this.batches.push(0);
      this.lo.push(0);
      this.hi.push(0);
      this.varSum.push(0);
      this.sinceMs.push(-1);
      this.stableMean.push(NaN);
      this.stableAtMs.push(-1);
    }
  }

  /** A batch's mean and variance (counts, counts²) of n samples, the last at tMs. */
  push(cell: number, mean: number, variance: number, n: number, tMs: number): void {
    if (this.sinceMs[cell] < 0) {
      this.sinceMs[cell] = tMs;
      this.lo[cell] = mean;
      this.hi[cell] = mean;
    }
    this.sum[cell] = this.sum[cell] + mean;
    this.batches[cell] = this.batches[cell] + 1;
    this.varSum[cell] = this.varSum[cell] + variance / n;
    this.lo[cell] = Math.min(this.lo[cell], mean);
    this.hi[cell] = Math.max(this.hi[cell], mean);
    if (tMs - this.sinceMs[cell] >= WINDOW_MS && this.batches[cell] >= 2) {
      const k = this.batches[cell];
      const spreadLimit = Math.max(STILL_SPREAD_FLOOR, STILL_SPREAD_SIGMAS * Math.sqrt(this.varSum[cell] / k));
      this.stableMean[cell] = this.hi[cell] - this.lo[cell] <= spreadLimit ? this.sum[cell] / k : NaN;
      this.stableAtMs[cell] = tMs;
      this.sum[cell] = 0;
      this.batches[cell] = 0;
      this.varSum[cell] = 0;
      this.sinceMs[cell] = -1;
    }
  }

  /** The cell's still mean in raw counts, or NaN when it moved, or has not been read lately. */
  stable(cell: number, nowMs: number): number {
    return nowMs - this.stableAtMs[cell] <= FRESH_MS && this.stableAtMs[cell] >= 0 ? this.stableMean[cell] : NaN;
  }
}
