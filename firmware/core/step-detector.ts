/*
 * The minimal detector that proves the spine. Samples are summarised in blocks of blockMs
 * (count, sum, sum of squares, relative to a reference level so they stay float32-safe); a lane
 * is stable when its last `blocks` blocks together have a small standard deviation, and an event
 * is a move between two stable levels larger than minStepG. Memory per lane is a few numbers
 * and two short arrays, whatever the sample rate: on Espruino each array element costs a JsVar.
 */

export interface Step {
  tMs: number;
  tStartMs: number;
  grams: number;
}

export interface StepSettings {
  blockMs: number;
  blocks: number;
  stableStdG: number;
  minStepG: number;
}

export class StepDetector {
  /** Per finished block: mean and mean square, relative to ref. */
  private readonly means: number[] = [];
  private readonly squares: number[] = [];
  private filled = 0;
  private next = 0;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private blockStartMs = -1;
  private ref = 0;
  private hasRef = false;
  private baseline = 0;
  private hasBaseline = false;
  private unstableSinceMs = -1;

  constructor(private readonly s: StepSettings) {
    for (let i = 0; i < s.blocks; i++) {
      this.means.push(0);
      this.squares.push(0);
    }
  }

  /** Feeds one lane weight; returns the step that just settled, if any. */
  push(grams: number, tMs: number): Step | undefined {
    if (!this.hasRef) {
      this.ref = grams;
      this.hasRef = true;
    }
    if (this.blockStartMs < 0) {
      this.blockStartMs = tMs;
    }
    const d = grams - this.ref;
    this.n = this.n + 1;
    this.sum = this.sum + d;
    this.sumSq = this.sumSq + d * d;
    if (tMs - this.blockStartMs < this.s.blockMs) {
      return undefined;
    }
    return this.closeBlock(tMs);
  }

  private closeBlock(tMs: number): Step | undefined {
    this.means[this.next] = this.sum / this.n;
    this.squares[this.next] = this.sumSq / this.n;
    this.next = this.next + 1 === this.s.blocks ? 0 : this.next + 1;
    if (this.filled < this.s.blocks) {
      this.filled = this.filled + 1;
    }
    this.n = 0;
    this.sum = 0;
    this.sumSq = 0;
    this.blockStartMs = -1;
    if (this.filled < this.s.blocks) {
      return undefined;
    }
    let m = 0;
    let sq = 0;
    for (let i = 0; i < this.s.blocks; i++) {
      m = m + this.means[i];
      sq = sq + this.squares[i];
    }
    m = m / this.s.blocks;
    const variance = sq / this.s.blocks - m * m;
    const level = this.ref + m;
    this.rebase(level);
    if (variance > this.s.stableStdG * this.s.stableStdG) {
      if (this.unstableSinceMs < 0) {
        this.unstableSinceMs = tMs - this.s.blockMs * this.s.blocks;
      }
      return undefined;
    }
    const startMs = this.unstableSinceMs;
    this.unstableSinceMs = -1;
    if (!this.hasBaseline) {
      this.baseline = level;
      this.hasBaseline = true;
      return undefined;
    }
    const delta = level - this.baseline;
    if (delta < this.s.minStepG && delta > -this.s.minStepG) {
      return undefined;
    }
    this.baseline = level;
    return { tMs: tMs, tStartMs: startMs < 0 ? tMs : startMs, grams: delta };
  }

  /** Moves the reference to the current level, shifting the block sums exactly, so values stay small. */
  private rebase(level: number): void {
    const shift = level - this.ref;
    for (let i = 0; i < this.s.blocks; i++) {
      const mean = this.means[i];
      this.squares[i] = this.squares[i] - 2 * shift * mean + shift * shift;
      this.means[i] = mean - shift;
    }
    this.ref = level;
  }
}
