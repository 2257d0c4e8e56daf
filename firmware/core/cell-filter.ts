/*
 * One HX711 channel, sample by sample: fault checks on the raw counts, counts to grams, and a
 * median of three that removes single-sample spikes. The output lags the input by one sample.
 *
 * Faults (each counted; the app publishes them as health events):
 * - saturation: the converter's limits, 0x7FFFFF or 0x800000 (HX711 datasheet, "Output data format");
 * - stuck: the same raw value for a second, which a live 24-bit converter (noise of hundreds of
 *   counts) never gives, and even a recording rounded to whole grams gives by chance too rarely;
 * - glitch: one sample far from both neighbours while they agree: a physically impossible jump.
 * A faulted sample is not used: the filter holds its last good value and reports the fault.
 */

/** Raw counts to grams for each cell: the calibration the device holds. */
export interface Calibration {
  grams(cell: number, counts: number): number;
}

export const FAULT_NONE = 0;
export const FAULT_SATURATION = 1;
export const FAULT_STUCK = 2;
export const FAULT_GLITCH = 3;
export const FAULT_NOT_READY = 4;
export const FAULT_NAMES: string[] = ["none", "saturation", "stuck", "glitch", "not_ready"];

const MAX_COUNT = 8388607;
const MIN_COUNT = -8388608;
/** A single sample this far from both neighbours, which agree, is a glitch. */
const GLITCH_G = 250;

export function median3(a: number, b: number, c: number): number {
  if (a > b) {
    return b > c ? b : a > c ? c : a;
  }
  return a > c ? a : b > c ? c : b;
}

export class CellFilter {
  private lastRaw = 0;
  private sameRaw = 0;
  private g0 = 0;
  private g1 = 0;
  private primed = 0;
  /** The current fault, and counts of each kind since boot. */
  fault = FAULT_NONE;
  readonly counts: number[] = [0, 0, 0, 0, 0];
  /** The filtered weight, in grams, after the last push. */
  grams = 0;
  /** Whether `grams` has held a good value since boot (a lane waits for all its cells). */
  ready = false;

  /** stuckSamples: a second's worth of conversions at the cell's rate. */
  constructor(private readonly cal: Calibration, private readonly cell: number, private readonly stuckSamples: number) {}

  /** Feeds one raw conversion; returns true when `grams` holds a new good value. */
  push(raw: number): boolean {
    if (raw === MAX_COUNT || raw === MIN_COUNT) {
      return this.faulted(FAULT_SATURATION);
    }
    if (raw === this.lastRaw) {
      this.sameRaw++;
      if (this.sameRaw >= this.stuckSamples) {
        return this.faulted(FAULT_STUCK);
      }
    } else {
      this.sameRaw = 0;
      this.lastRaw = raw;
    }
    this.fault = FAULT_NONE;
    const g2 = this.cal.grams(this.cell, raw);
    if (this.primed < 2) {
      this.primed++;
      this.g0 = this.g1;
      this.g1 = g2;
      this.grams = g2;
      this.ready = this.ready || this.primed === 2;
      return this.primed === 2;
    }
    const a = this.g0;
    const b = this.g1;
    if (Math.abs(b - a) > GLITCH_G && Math.abs(b - g2) > GLITCH_G && Math.abs(a - g2) < GLITCH_G / 2) {
      this.counts[FAULT_GLITCH]++;
      this.g1 = (a + g2) / 2;
    }
    this.grams = median3(this.g0, this.g1, g2);
    this.ready = true;
    this.g0 = this.g1;
    this.g1 = g2;
    return true;
  }

  private faulted(kind: number): boolean {
    if (this.fault !== kind) {
      this.counts[kind]++;
    }
    this.fault = kind;
    this.primed = 0;
    return false;
  }
}
