/** The fire/emergency input, shared by every lane of a gate: intervals [startMs, endMs) when it is active. */
export class Emergency {
  readonly intervals: { startMs: number; endMs: number }[] = [];

  /** Adds an activation; intervals must come in order and not overlap. */
  add(startMs: number, endMs: number): void {
    const last = this.intervals.at(-1);
    if (!(endMs > startMs) || (last && startMs <= last.endMs)) throw new Error(`emergency ${startMs}-${endMs} ms overlaps or precedes the one before, or is empty`);
    this.intervals.push({ startMs, endMs });
  }

  active(tMs: number): boolean {
    return this.intervals.some((i) => tMs >= i.startMs && tMs < i.endMs);
  }
}
