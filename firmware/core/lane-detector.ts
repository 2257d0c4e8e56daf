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

const INIT = 0;
const STABLE = 1;
const ACTIVE = 2;

export interface Settled {
  /** Signed change of the lane, in grams. */
  grams: number;
  tStartMs: number;
  tMs: number;
}

export class LaneDetector {
  private phase = INIT;
  /** The stable level; auto-zero moves it while the lane is stable. Read-only outside. */
  baseline = 0;
  /** Means of the last WINDOW blocks, relative to baseline, newest first. */
  private readonly means: number[] = [0, 0, 0, 0, 0];
  private filled = 0;
  /** Noise variance of one sample while no hand is on the lane; the prior is 1 g². */
  private noiseVar = 1;
  private activeSinceMs = 0;

  /**
   * Feeds one block: the mean grams of n samples, their variance, and the times of the first and
   * last. Returns a change once it has settled and been confirmed.
   */
  push(meanG: number, varianceG: number, n: number, tStartMs: number, tMs: number): Settled | undefined {
    if (this.phase === INIT && this.filled === 0) {
      this.baseline = meanG;
    }
    return this.block(meanG - this.baseline, Math.min(MAX_NOISE_VAR, varianceG), n, tStartMs, tMs);
  }

  /** The lane's level now, from its newest blocks, or NaN before it first settled. */
  levelG(): number {
    if (this.phase === INIT) {
      return NaN;
    }
    return this.baseline + this.windowMean(Math.min(this.filled, SETTLE_BLOCKS));
  }

  /** Whether the lane has a hand on it (or something else moving). */
  isActive(): boolean {
    return this.phase === ACTIVE;
  }

  /** Forgets the level, after a fault, so the next stable level becomes the baseline without an event. */
  reset(): void {
    this.phase = INIT;
    this.filled = 0;
  }

  private block(mean: number, diffVar: number, samples: number, startMs: number, tMs: number): Settled | undefined {
    for (let k = WINDOW - 1; k > 0; k--) {
      this.means[k] = this.means[k - 1];
    }
    this.means[0] = mean;
    if (this.filled < WINDOW) {
      this.filled++;
    }
    // A block's mean wanders by the noise of the mean, plus a floor for what the plate itself does.
    const band = 1.2 + 3 * Math.sqrt(this.noiseVar / samples);
    if (this.phase === STABLE) {
      if (Math.abs(mean) > band + 2) {
        this.phase = ACTIVE;
        this.activeSinceMs = startMs;
        return undefined;
      }
      this.noiseVar = Math.max(0.04, this.noiseVar + 0.05 * (diffVar - this.noiseVar));
      this.rebase(this.baseline + TRACK * mean);
      return undefined;
    }
    if (this.phase === INIT) {
      this.noiseVar = Math.max(0.04, this.noiseVar + 0.2 * (diffVar - this.noiseVar));
    }
    const run = this.agreeingBlocks(band);
    if (this.phase === INIT) {
      if (this.filled >= SETTLE_BLOCKS && run >= SETTLE_BLOCKS) {
        this.rebase(this.baseline + this.windowMean(SETTLE_BLOCKS));
        this.phase = STABLE;
      }
      return undefined;
    }
    if (run < WINDOW) {
      return undefined;
    }
    const change = this.windowMean(WINDOW);
    this.rebase(this.baseline + change);
    this.phase = STABLE;
    return { grams: change, tStartMs: this.activeSinceMs, tMs: tMs };
  }

  /** How many of the newest blocks lie within band of their own mean. */
  private agreeingBlocks(band: number): number {
    let run = 0;
    for (let k = 1; k <= this.filled; k++) {
      const m = this.windowMean(k);
      let ok = true;
      for (let j = 0; j < k; j++) {
        if (Math.abs(this.means[j] - m) > band) {
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

  private windowMean(k: number): number {
    let s = 0;
    for (let j = 0; j < k; j++) {
      s = s + this.means[j];
    }
    return s / k;
  }

  /** Moves the baseline, shifting the stored block means with it. */
  private rebase(level: number): void {
    const shift = level - this.baseline;
    for (let i = 0; i < WINDOW; i++) {
      this.means[i] = this.means[i] - shift;
    }
    this.baseline = level;
  }
}
