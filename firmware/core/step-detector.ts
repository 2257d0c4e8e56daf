/*
 * The minimal detector that proves the spine: a lane is stable when the standard deviation of
 * its last windowMs of weight is small; an event is a move between two stable levels larger
 * than minStepG. Sums are kept relative to a reference level so that they stay float32-safe.
 */

export interface Step {
  tMs: number;
  tStartMs: number;
  grams: number;
}

export interface StepSettings {
  windowMs: number;
  stableStdG: number;
  minStepG: number;
  /** Upper bound on samples a window can hold (rate × window, with margin). */
  capacity: number;
}

export class StepDetector {
  private readonly values: number[] = [];
  private readonly times: number[] = [];
  private head = 0;
  private size = 0;
  private sum = 0;
  private sumSq = 0;
  private ref = 0;
  private hasRef = false;
  private baseline = 0;
  private hasBaseline = false;
  private unstableSinceMs = -1;

  constructor(private readonly s: StepSettings) {
    for (let i = 0; i < s.capacity; i++) {
      this.values.push(0);
      this.times.push(0);
    }
  }

  /** Feeds one lane weight; returns the step that just settled, if any. */
  push(grams: number, tMs: number): Step | undefined {
    this.add(grams, tMs);
    const spanMs = tMs - this.times[this.head];
    const mean = this.ref + this.sum / this.size;
    const variance = this.sumSq / this.size - (this.sum / this.size) * (this.sum / this.size);
    const stable = spanMs >= this.s.windowMs * 0.9 && variance <= this.s.stableStdG * this.s.stableStdG;
    if (!stable) {
      if (this.unstableSinceMs < 0) {
        this.unstableSinceMs = this.times[this.head];
      }
      return undefined;
    }
    const startMs = this.unstableSinceMs;
    this.unstableSinceMs = -1;
    if (!this.hasBaseline) {
      this.baseline = mean;
      this.hasBaseline = true;
      return undefined;
    }
    const delta = mean - this.baseline;
    if (delta < this.s.minStepG && delta > -this.s.minStepG) {
      return undefined;
    }
    this.baseline = mean;
    return { tMs: tMs, tStartMs: startMs < 0 ? tMs : startMs, grams: delta };
  }

  private add(grams: number, tMs: number): void {
    const cap = this.s.capacity;
    while (this.size > 0 && (this.size === cap || tMs - this.times[this.head] > this.s.windowMs)) {
      const old = this.values[this.head] - this.ref;
      this.sum = this.sum - old;
      this.sumSq = this.sumSq - old * old;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size = this.size - 1;
    }
    if (!this.hasRef || this.size === 0) {
      this.rebase(grams);
    } else if (grams - this.ref > 50 || this.ref - grams > 50) {
      this.rebase(grams);
    }
    let tail = this.head + this.size;
    if (tail >= cap) {
      tail = tail - cap;
    }
    this.values[tail] = grams;
    this.times[tail] = tMs;
    this.size = this.size + 1;
    const d = grams - this.ref;
    this.sum = this.sum + d;
    this.sumSq = this.sumSq + d * d;
  }

  /** Moves the reference to a new level and recomputes the sums exactly, so rounding never piles up. */
  private rebase(level: number): void {
    this.ref = level;
    this.hasRef = true;
    this.sum = 0;
    this.sumSq = 0;
    const cap = this.s.capacity;
    for (let k = 0; k < this.size; k++) {
      let i = this.head + k;
      if (i >= cap) {
        i = i - cap;
      }
      const d = this.values[i] - level;
      this.sum = this.sum + d;
      this.sumSq = this.sumSq + d * d;
    }
  }
}
