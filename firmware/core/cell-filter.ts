import { gramsFromCounts, gramsPerCountAt, type CellCal } from "./calibration";

/*
 * One HX711 channel, a batch at a time: fault checks on the raw counts, counts to grams, and a
 * median of three that removes single-sample spikes. The result is the batch's mean and variance
 * in grams.
 *
 * A quiet batch (small variance, away from the rails) can hold no spike, no saturation and no
 * glitch, so it is taken from the port's natively computed mean and variance without looking at
 * its samples: that is most batches, and it keeps interpreted work per sample small. Any other
 * batch is filtered sample by sample; the median's output lags its input by one sample.
 *
 * Faults (each counted; the app publishes them as health events):
 * - saturation: the converter's limits, 0x7FFFFF or 0x800000 (HX711 datasheet, "Output data format");
 * - stuck: the same raw value for a second, which a live 24-bit converter (noise of hundreds of
 *   counts) never gives, and even a recording rounded to whole grams gives by chance too rarely;
 * - glitch: one sample far from both neighbours while they agree: a physically impossible jump.
 * A batch that ends faulted is not used: the lane holds still and the fault is reported.
 */

export const FAULT_NONE = 0;
export const FAULT_SATURATION = 1;
export const FAULT_STUCK = 2;
export const FAULT_GLITCH = 3;
export const FAULT_NOT_READY = 4;
/** A fault's name in health events. Literals in code, which stays in flash, rather than an array in RAM. */
export function faultName(kind: number): string {
  return kind === FAULT_SATURATION ? "saturation" : kind === FAULT_STUCK ? "stuck" : kind === FAULT_GLITCH ? "glitch" : kind === FAULT_NOT_READY ? "not_ready" : "none";
}

const MAX_COUNT = 8388607;
const MIN_COUNT = -8388608;
/** Batches whose mean comes this close to a rail are checked sample by sample for saturation. */
const NEAR_RAIL = 8000000;
/** A single sample this far from both neighbours, which agree, is a glitch. */
const GLITCH_G = 250;
/**
 * A batch whose variance stays under this (25 g std) cannot hide a glitch: one 250 g spike among
 * 8 samples alone makes a variance of 6,800 g².
 */
const QUIET_VAR_G = 625;
const MEDIAN_STEP_SHARE = 0.2;

export function median3(a: number, b: number, c: number): number {
  if (a > b) {
    return b > c ? b : a > c ? c : a;
  }
  return a > c ? a : b > c ? c : b;
}

export class CellFilter {
  private lastRaw = 0;
  private sameRaw = 0;
  /** The two previous raw samples, for the median of three. */
  private r0 = 0;
  private r1 = 0;
  private primed = 0;
  /** The current fault, and counts of each kind since boot. */
  fault = FAULT_NONE;
  readonly counts: number[] = [0, 0, 0, 0, 0];
  /** The last good batch's mean weight, in grams, and the noise of one sample, in grams². */
  grams = 0;
  varianceG = 0;
  /** Whether `grams` has held a good value since boot (a lane waits for all its cells). */
  ready = false;
  /** The last sample passed on, in counts, for the step into the next batch (NaN after a fault). */
  private lastOut = NaN;

  /** stuckSamples: a second's worth of conversions at the cell's rate. */
  /** cal: the cell's calibration, as the device holds it. */
  constructor(private readonly cal: CellCal, private readonly stuckSamples: number) {}

  /**
   * Feeds one batch; returns true when `grams` holds a new good value. The noise is measured, as
   * the lane detector wants it, from the steps between successive filtered samples (sway and
   * drift add little to those), halved.
   */
  pushBatch(raw: number[], n: number, mean: number, variance: number, diffSq: number): boolean {
    const slope = gramsPerCountAt(this.cal, mean);
    let m = mean;
    let stepsSq = diffSq;
    let steps = n - 1;
    if (variance * slope * slope > QUIET_VAR_G || mean > NEAR_RAIL || mean < -NEAR_RAIL || variance === 0 || this.primed < 2) {
      // Sample by sample, in counts relative to the first good one (float32-safe).
      const glitch = Math.abs(GLITCH_G / slope);
      let good = 0;
      let ref = 0;
      let sum = 0;
      stepsSq = 0;
      steps = 0;
      for (let i = 0; i < n; i++) {
        const r = this.push(raw[i], glitch);
        if (!isNaN(r)) {
          if (good === 0) {
            ref = r;
          }
          sum = sum + (r - ref);
          good++;
          if (!isNaN(this.lastOut)) {
            stepsSq = stepsSq + (r - this.lastOut) * (r - this.lastOut);
            steps++;
          }
          this.lastOut = r;
        }
      }
      if (good === 0 || this.fault !== FAULT_NONE) {
        return false;
      }
      m = ref + sum / good;
    } else {
      if (!isNaN(this.lastOut)) {
        stepsSq = stepsSq + (raw[0] - this.lastOut) * (raw[0] - this.lastOut);
        steps++;
      }
      // The detector's thresholds are set on the filtered samples' steps; through a median of
      // three, white noise keeps a fifth of its raw step variance (0.20, by simulation).
      stepsSq = stepsSq * MEDIAN_STEP_SHARE;
      this.fault = FAULT_NONE;
      this.sameRaw = 0;
      this.lastRaw = raw[n - 1];
      this.r0 = raw[n - 2];
      this.r1 = raw[n - 1];
      this.lastOut = raw[n - 1];
    }
    this.varianceG = steps > 0 ? (stepsSq * slope * slope) / (2 * steps) : 0;
    this.grams = gramsFromCounts(this.cal, m);
    this.ready = true;
    return true;
  }

  /** One raw conversion; returns it through the median of three, or NaN while faulted or priming. */
  private push(raw: number, glitch: number): number {
    let kind = FAULT_NONE;
    if (raw === MAX_COUNT || raw === MIN_COUNT) {
      kind = FAULT_SATURATION;
    } else if (raw === this.lastRaw) {
      this.sameRaw++;
      if (this.sameRaw >= this.stuckSamples) {
        kind = FAULT_STUCK;
      }
    } else {
      this.sameRaw = 0;
      this.lastRaw = raw;
    }
    if (kind !== FAULT_NONE) {
      // A faulted sample is not used; the filter starts again after it.
      if (this.fault !== kind) {
        this.counts[kind]++;
      }
      this.fault = kind;
      this.primed = 0;
      this.lastOut = NaN;
      return NaN;
    }
    this.fault = FAULT_NONE;
    const a = this.r0;
    let b = this.r1;
    if (this.primed < 2) {
      this.primed++;
      this.r0 = b;
      this.r1 = raw;
      return this.primed === 2 ? raw : NaN;
    }
    if (Math.abs(b - a) > glitch && Math.abs(b - raw) > glitch && Math.abs(a - raw) < glitch / 2) {
      this.counts[FAULT_GLITCH]++;
      b = (a + raw) / 2;
    }
    this.r0 = b;
    this.r1 = raw;
    return median3(a, b, raw);
  }
}
