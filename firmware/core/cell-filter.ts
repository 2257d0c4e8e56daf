import { flatGrams, flatSlope } from "./flat-cal";

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

/* A const enum: both compilers put the numbers into the code, so a name costs no RAM on either target. */
export const enum Fault {
  NONE = 0,
  SATURATION = 1,
  STUCK = 2,
  GLITCH = 3,
  NOT_READY = 4,
}

/** Fault kinds, NONE included: a cell's per-kind slots (Cell.COUNTS, the app's faults array) are this many. */
export const FAULT_KINDS = 5;

/** A fault's name in health events. Literals in code, which stays in flash, rather than an array in RAM. */
export function faultName(kind: number): string {
  return kind === Fault.SATURATION ? "saturation" : kind === Fault.STUCK ? "stuck" : kind === Fault.GLITCH ? "glitch" : kind === Fault.NOT_READY ? "not_ready" : "none";
}

/*
 * A cell's state is one array of numbers, these its slots, rather than an object of a score of
 * fields: on NodeMCU an array slot is 12 bytes of Lua heap where a field is 28, rounded up to a
 * power of two (docs/lua-heap.md). The filter's slots come first; the pipeline keeps its own
 * bookkeeping of the cell in the same array (shelf-pipeline.ts), one table a cell. newCell
 * (pipeline-setup.ts) makes a fresh one.
 */
export const enum Cell {
  /** The last raw sample, and how many samples in a row have repeated it. */
  LAST_RAW = 0,
  SAME_RAW = 1,
  /** The two previous raw samples, for the median of three, and how many of them are primed (0-2). */
  R0 = 2,
  R1 = 3,
  PRIMED = 4,
  /** The current fault (a Fault). */
  FAULT = 5,
  /** The last good batch's mean weight, in grams, and the noise of one sample, in grams². */
  GRAMS = 6,
  VARIANCE_G = 7,
  /** 1 once GRAMS has held a good value (a lane waits for all its cells), 0 before. */
  READY = 8,
  /** The last sample passed on, in counts, for the step into the next batch (NaN after a fault). */
  LAST_OUT = 9,
  /** Conversions a second, the cell's nominal rate: a second of repeats is a stuck cell. */
  RATE_SPS = 10,
  /** How often each fault kind happened since boot: COUNTS + kind, for kinds 0-4. */
  COUNTS = 11,
  /* The pipeline's (shelf-pipeline.ts): when the last batch ended (-1: none yet) and the gap between the last two, whole ms; */
  LAST_BATCH_MS = 16,
  BATCH_GAP_MS = 17,
  /* the fault and glitch count last reported in health events; the lane whose weight advances on this cell's batches (-1: none). */
  REPORTED = 18,
  GLITCHES = 19,
  LEAD_LANE = 20,
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

function median3(a: number, b: number, c: number): number {
  if (a > b) {
    return b > c ? b : a > c ? c : a;
  }
  return a > c ? a : b > c ? c : b;
}

/** One raw conversion; returns it through the median of three, or NaN while faulted or priming. */
function filterSample(s: number[], raw: number, glitch: number): number {
  let kind = Fault.NONE;
  if (raw === MAX_COUNT || raw === MIN_COUNT) {
    kind = Fault.SATURATION;
  } else if (raw === s[Cell.LAST_RAW]) {
    s[Cell.SAME_RAW]++;
    if (s[Cell.SAME_RAW] >= s[Cell.RATE_SPS]) {
      kind = Fault.STUCK;
    }
  } else {
    s[Cell.SAME_RAW] = 0;
    s[Cell.LAST_RAW] = raw;
  }
  if (kind !== Fault.NONE) {
    // A faulted sample is not used; the filter starts again after it.
    if (s[Cell.FAULT] !== kind) {
      s[Cell.COUNTS + kind]++;
    }
    s[Cell.FAULT] = kind;
    s[Cell.PRIMED] = 0;
    s[Cell.LAST_OUT] = NaN;
    return NaN;
  }
  s[Cell.FAULT] = Fault.NONE;
  const a = s[Cell.R0];
  let b = s[Cell.R1];
  if (s[Cell.PRIMED] < 2) {
    s[Cell.PRIMED]++;
    s[Cell.R0] = b;
    s[Cell.R1] = raw;
    return s[Cell.PRIMED] === 2 ? raw : NaN;
  }
  if (Math.abs(b - a) > glitch && Math.abs(b - raw) > glitch && Math.abs(a - raw) < glitch / 2) {
    s[Cell.COUNTS + Fault.GLITCH]++;
    b = (a + raw) / 2;
  }
  s[Cell.R0] = b;
  s[Cell.R1] = raw;
  return median3(a, b, raw);
}

/**
 * Feeds one batch to the cell s, weighed with its calibration cal (flat-cal.ts); returns true when its GRAMS
 * holds a new good value. The noise is measured, as the lane detector wants it, from the steps
 * between successive filtered samples (sway and drift add little to those), halved.
 */
export function filterBatch(s: number[], cal: number[], raw: number[], n: number, mean: number, variance: number, diffSq: number): boolean {
  const slope = flatSlope(cal, mean);
  let m = mean;
  let stepsSq = diffSq;
  let steps = n - 1;
  if (variance * slope * slope > QUIET_VAR_G || mean > NEAR_RAIL || mean < -NEAR_RAIL || variance === 0 || s[Cell.PRIMED] < 2) {
    // Sample by sample, in counts relative to the first good one (float32-safe).
    const glitch = Math.abs(GLITCH_G / slope);
    let good = 0;
    let ref = 0;
    let sum = 0;
    stepsSq = 0;
    steps = 0;
    for (let i = 0; i < n; i++) {
      const r = filterSample(s, raw[i], glitch);
      if (!isNaN(r)) {
        if (good === 0) {
          ref = r;
        }
        sum = sum + (r - ref);
        good++;
        if (!isNaN(s[Cell.LAST_OUT])) {
          stepsSq = stepsSq + (r - s[Cell.LAST_OUT]) * (r - s[Cell.LAST_OUT]);
          steps++;
        }
        s[Cell.LAST_OUT] = r;
      }
    }
    if (good === 0 || s[Cell.FAULT] !== Fault.NONE) {
      return false;
    }
    m = ref + sum / good;
  } else {
    if (!isNaN(s[Cell.LAST_OUT])) {
      stepsSq = stepsSq + (raw[0] - s[Cell.LAST_OUT]) * (raw[0] - s[Cell.LAST_OUT]);
      steps++;
    }
    // The detector's thresholds are set on the filtered samples' steps; through a median of
    // three, white noise keeps a fifth of its raw step variance (0.20, by simulation).
    stepsSq = stepsSq * MEDIAN_STEP_SHARE;
    s[Cell.FAULT] = Fault.NONE;
    s[Cell.SAME_RAW] = 0;
    s[Cell.LAST_RAW] = raw[n - 1];
    s[Cell.R0] = raw[n - 2];
    s[Cell.R1] = raw[n - 1];
    s[Cell.LAST_OUT] = raw[n - 1];
  }
  s[Cell.VARIANCE_G] = steps > 0 ? (stepsSq * slope * slope) / (2 * steps) : 0;
  s[Cell.GRAMS] = flatGrams(cal, m);
  s[Cell.READY] = 1;
  return true;
}
