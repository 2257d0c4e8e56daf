/**
 * Downsamples a time series in one pass and constant memory, for a chart: the span is cut into
 * at most `maxBuckets` equal buckets from t = 0, and each keeps its minimum and maximum with their
 * times, so a one-sample spike still shows. The length of the series need not be known: when a
 * sample falls past the last bucket, the bucket width doubles and neighbours merge (min/max
 * merge exactly), until it fits.
 */
export class MinMaxBuckets {
  private widthUs: number;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly tMinUs: Float64Array;
  private readonly tMaxUs: Float64Array;
  private readonly n: Uint32Array;

  constructor(private readonly maxBuckets: number, startWidthUs = 1000) {
    if (!(maxBuckets >= 1)) throw new RangeError(`maxBuckets must be at least 1, not ${maxBuckets}`);
    this.widthUs = startWidthUs;
    this.min = new Float64Array(maxBuckets);
    this.max = new Float64Array(maxBuckets);
    this.tMinUs = new Float64Array(maxBuckets);
    this.tMaxUs = new Float64Array(maxBuckets);
    this.n = new Uint32Array(maxBuckets);
  }

  add(tUs: number, value: number): void {
    let i = Math.floor(tUs / this.widthUs);
    while (i >= this.maxBuckets) {
      this.halve();
      i = Math.floor(tUs / this.widthUs);
    }
    if (this.n[i] === 0) {
      this.min[i] = this.max[i] = value;
      this.tMinUs[i] = this.tMaxUs[i] = tUs;
    } else {
      // Ties keep the first time of the minimum and the last of the maximum: a flat bucket spans.
      if (value < this.min[i]) {
        this.min[i] = value;
        this.tMinUs[i] = tUs;
      }
      if (value >= this.max[i]) {
        this.max[i] = value;
        this.tMaxUs[i] = tUs;
      }
    }
    this.n[i]++;
  }

  private halve(): void {
    const half = Math.ceil(this.maxBuckets / 2);
    for (let j = 0; j < half; j++) {
      const a = 2 * j;
      const b = 2 * j + 1;
      this.copy(j, a);
      if (b < this.maxBuckets && this.n[b] > 0) {
        if (this.n[j] === 0) this.copy(j, b);
        else {
          if (this.min[b] < this.min[j]) {
            this.min[j] = this.min[b];
            this.tMinUs[j] = this.tMinUs[b];
          }
          if (this.max[b] >= this.max[j]) {
            this.max[j] = this.max[b];
            this.tMaxUs[j] = this.tMaxUs[b];
          }
          this.n[j] += this.n[b];
        }
      }
    }
    this.n.fill(0, half);
    this.widthUs *= 2;
  }

  private copy(to: number, from: number): void {
    if (to === from) return;
    this.min[to] = this.min[from];
    this.max[to] = this.max[from];
    this.tMinUs[to] = this.tMinUs[from];
    this.tMaxUs[to] = this.tMaxUs[from];
    this.n[to] = this.n[from];
  }

  /** The kept points in time order: a bucket's extremes in the order they happened (one point if they are one sample). */
  points(): { tUs: number[]; values: number[] } {
    const tUs: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < this.maxBuckets; i++) {
      if (this.n[i] === 0) continue;
      const minFirst = this.tMinUs[i] <= this.tMaxUs[i];
      tUs.push(minFirst ? this.tMinUs[i] : this.tMaxUs[i]);
      values.push(minFirst ? this.min[i] : this.max[i]);
      if (this.n[i] > 1 && this.tMinUs[i] !== this.tMaxUs[i]) {
        tUs.push(minFirst ? this.tMaxUs[i] : this.tMinUs[i]);
        values.push(minFirst ? this.max[i] : this.min[i]);
      }
    }
    return { tUs, values };
  }
}
