/*
 * One plate's (or column's) samples as read from a recording: times in whole µs on the
 * recording's own time base (unix or relative), values in the recording's unit, NaN where the
 * recording says there was no sample. Growable typed arrays: an hour of 60 Hz is 216,000 samples.
 */
export class SampleSeries {
  tUs = new Float64Array(1024);
  values = new Float64Array(1024);
  /** The source line of each sample, for errors found after reading (kept as Int32: files < 2^31 lines). */
  lines = new Int32Array(1024);
  length = 0;
  /** Samples the recording marked as missing (empty, nan, NA), written as empty cells. */
  missing = 0;

  constructor(readonly id: string, readonly file: string) {}

  push(tUs: number, value: number, line: number): void {
    if (this.length === this.tUs.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.tUs = grow(this.tUs);
      this.values = grow(this.values);
      this.lines = grow(this.lines);
    }
    this.tUs[this.length] = tUs;
    this.values[this.length] = value;
    this.lines[this.length] = line;
    this.length++;
    if (Number.isNaN(value)) this.missing++;
  }

  get lastTUs(): number {
    return this.length === 0 ? -Infinity : this.tUs[this.length - 1];
  }
}

/**
 * Spreads runs of samples that share one time evenly up to the next distinct time. AiFi's plates
 * send 12 samples a message under one timestamp (5 messages a second at 60 Hz); exports that
 * repeat it would otherwise put 12 samples of a plate in one instant. The last run is spread at
 * the series' own typical interval. Returns how many samples moved.
 */
export function spreadEqualTimes(s: SampleSeries): number {
  const t = s.tUs;
  const n = s.length;
  let moved = 0;
  let typical = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && t[j] === t[i]) j++;
    const run = j - i;
    if (run > 1) {
      const step = j < n ? (t[j] - t[i]) / run : typical || medianIntervalUs(s);
      for (let k = 1; k < run; k++) t[i + k] = t[i] + Math.round(k * step);
      moved += run - 1;
    }
    if (j < n) typical = (t[j] - t[i]) / run;
    i = j;
  }
  return moved;
}

/** The median time between consecutive distinct samples, in µs (0 with fewer than two). */
export function medianIntervalUs(s: SampleSeries): number {
  const d: number[] = [];
  for (let i = 1; i < s.length; i++) if (s.tUs[i] > s.tUs[i - 1]) d.push(s.tUs[i] - s.tUs[i - 1]);
  if (d.length === 0) return 0;
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)];
}

/** A sample rate from the series' intervals: a whole number of Hz when within 2% of one, else to 0.01 Hz. */
export function rateFromSeries(series: SampleSeries[]): number | undefined {
  const medians = series.map(medianIntervalUs).filter((m) => m > 0).sort((a, b) => a - b);
  if (medians.length === 0) return undefined;
  const hz = 1e6 / medians[Math.floor(medians.length / 2)];
  const whole = Math.round(hz);
  return whole > 0 && Math.abs(hz - whole) <= 0.02 * whole ? whole : Math.round(hz * 100) / 100;
}
