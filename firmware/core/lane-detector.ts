/*
 * One lane's weight over time → settled changes. The lane's weight comes as blocks: the mean and
 * variance of about 100 ms of samples (one batch of the lane's first cell), relative to the
 * lane's baseline once inside, so they stay float32-safe. The lane is:
 * - STABLE at a baseline level, which follows slow drift and creep (auto-zero), until a block
 *   leaves it by more than the activity threshold;
 * - ACTIVE until SETTLE_BLOCKS blocks in a row agree (their means within the stability band),
 *   and then CONFIRM_BLOCKS more stay at that level: a hand that pauses at the top of a press
 *   does not settle, since the level moves on within the confirmation;
 * - then it reports the change between the two stable levels, and is STABLE again.
 * The thresholds follow the lane's own noise, measured while it is stable.
 */

const SETTLE_BLOCKS = 3;
const CONFIRM_BLOCKS = 2;
const WINDOW = SETTLE_BLOCKS + CONFIRM_BLOCKS;
/** Auto-zero: the share of a stable block's offset the baseline takes. */
const TRACK = 0.05;
/** Noise updates ignore anything beyond this variance (10 g std): that is a hand or a jolt, not noise. */
const MAX_NOISE_VAR = 100;

export const enum Phase {
  INIT = 0,
  STABLE = 1,
  ACTIVE = 2,
}

/*
 * A lane's state is one array of numbers, these its slots (one Lua table a lane rather than an
 * object of ten fields and an array: docs/lua-heap.md). The detector's come first; the pipeline
 * keeps its own bookkeeping of the lane's episode in the same array (shelf-pipeline.ts). newLane
 * (pipeline-setup.ts) makes a fresh one.
 */
export const enum Lane {
  /** A Phase. */
  PHASE = 0,
  /** The stable level; auto-zero moves it while the lane is stable. */
  BASELINE = 1,
  /** Means of the last WINDOW blocks, relative to BASELINE, newest first: MEANS to MEANS + 4. */
  MEANS = 2,
  /** How many of them are filled (0 to WINDOW). */
  FILLED = 7,
  /** Noise variance of one sample while no hand is on the lane; the prior is 1 g². */
  NOISE_VAR = 8,
  /** When the lane last went active: the start of the change it reports when it settles. */
  ACTIVE_SINCE_MS = 9,
  /* The pipeline's: 1 while the lane is in the open episode (else 0), its net settled change in it, and since when it has moved; */
  IN_EPISODE = 10,
  NET_G = 11,
  SINCE_MS = 12,
  /* its level when the episode opened: a quiet lane's shift by the end is leakage it took. */
  LEVEL_AT_OPEN = 13,
}

/** Whether the lane has a hand on it (or something else moving). */
export function laneActive(d: number[]): boolean {
  return d[Lane.PHASE] === Phase.ACTIVE;
}

/** Forgets the level, after a fault, so the next stable level becomes the baseline without an event. */
export function laneReset(d: number[]): void {
  d[Lane.PHASE] = Phase.INIT;
  d[Lane.FILLED] = 0;
}

/** The mean of the k newest block means. */
function windowMean(d: number[], k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) {
    s = s + d[Lane.MEANS + j];
  }
  return s / k;
}

/** The lane's level now, from its newest blocks, or NaN before it first settled. */
export function laneLevelG(d: number[]): number {
  if (d[Lane.PHASE] === Phase.INIT) {
    return NaN;
  }
  return d[Lane.BASELINE] + windowMean(d, Math.min(d[Lane.FILLED], SETTLE_BLOCKS));
}

/** Moves the baseline, shifting the stored block means with it. */
function rebase(d: number[], level: number): void {
  const shift = level - d[Lane.BASELINE];
  for (let i = 0; i < WINDOW; i++) {
    d[Lane.MEANS + i] = d[Lane.MEANS + i] - shift;
  }
  d[Lane.BASELINE] = level;
}

/** How many of the newest blocks lie within band of their own mean. */
function agreeingBlocks(d: number[], band: number): number {
  let run = 0;
  for (let k = 1; k <= d[Lane.FILLED]; k++) {
    const m = windowMean(d, k);
    let ok = true;
    for (let j = 0; j < k; j++) {
      if (Math.abs(d[Lane.MEANS + j] - m) > band) {
        ok = false;
      }
    }
    if (!ok) {
      return run;
    }
    run = k;
  }
  return run;
}

/**
 * Feeds one block to the lane d: the mean grams of n samples, their variance, and the time of
 * the first. Returns true once a change has settled and been confirmed: it is what BASELINE moved
 * by, and began at ACTIVE_SINCE_MS.
 */
export function lanePush(d: number[], meanG: number, varianceG: number, n: number, tStartMs: number): boolean {
  if (d[Lane.PHASE] === Phase.INIT && d[Lane.FILLED] === 0) {
    d[Lane.BASELINE] = meanG;
  }
  const mean = meanG - d[Lane.BASELINE];
  const diffVar = Math.min(MAX_NOISE_VAR, varianceG);
  for (let k = WINDOW - 1; k > 0; k--) {
    d[Lane.MEANS + k] = d[Lane.MEANS + k - 1];
  }
  d[Lane.MEANS] = mean;
  if (d[Lane.FILLED] < WINDOW) {
    d[Lane.FILLED]++;
  }
  // A block's mean wanders by the noise of the mean, plus a floor for what the plate itself does.
  const band = 1.2 + 3 * Math.sqrt(d[Lane.NOISE_VAR] / n);
  if (d[Lane.PHASE] === Phase.STABLE) {
    if (Math.abs(mean) > band + 2) {
      d[Lane.PHASE] = Phase.ACTIVE;
      d[Lane.ACTIVE_SINCE_MS] = tStartMs;
      return false;
    }
    d[Lane.NOISE_VAR] = Math.max(0.04, d[Lane.NOISE_VAR] + 0.05 * (diffVar - d[Lane.NOISE_VAR]));
    rebase(d, d[Lane.BASELINE] + TRACK * mean);
    return false;
  }
  if (d[Lane.PHASE] === Phase.INIT) {
    d[Lane.NOISE_VAR] = Math.max(0.04, d[Lane.NOISE_VAR] + 0.2 * (diffVar - d[Lane.NOISE_VAR]));
  }
  const run = agreeingBlocks(d, band);
  if (d[Lane.PHASE] === Phase.INIT) {
    if (d[Lane.FILLED] >= SETTLE_BLOCKS && run >= SETTLE_BLOCKS) {
      rebase(d, d[Lane.BASELINE] + windowMean(d, SETTLE_BLOCKS));
      d[Lane.PHASE] = Phase.STABLE;
    }
    return false;
  }
  if (run < WINDOW) {
    return false;
  }
  rebase(d, d[Lane.BASELINE] + windowMean(d, WINDOW));
  d[Lane.PHASE] = Phase.STABLE;
  return true;
}
