/*
 * The baseline: the shelf's per-sample maths, with nothing else (design.md's "bare per-sample
 * maths": calibrate, median of 3, windowed mean and variance, event check). Counts to grams, each
 * cell's median of its last three samples, the lane sum, a windowed mean and variance kept as
 * running sums, and the stability test — over typed arrays, in one tight loop. A runner's
 * throughput is reported as a share of this.
 */
export function bareLoop(counts: Int32Array, channels: number, offset: Float64Array, gramsPerCount: Float64Array, window: number): number {
  const ring = new Float64Array(window);
  const prev1 = new Float64Array(channels);
  const prev2 = new Float64Array(channels);
  let head = 0;
  let size = 0;
  let sum = 0;
  let sumSq = 0;
  let stableCount = 0;
  const rows = counts.length / channels;
  for (let r = 0; r < rows; r++) {
    let lane = 0;
    for (let c = 0; c < channels; c++) {
      const g = (counts[r * channels + c] - offset[c]) * gramsPerCount[c];
      const a = prev2[c];
      const b = prev1[c];
      lane += a < b ? (b < g ? b : a < g ? g : a) : a < g ? a : b < g ? g : b;
      prev2[c] = b;
      prev1[c] = g;
    }
    if (size === window) {
      const old = ring[head];
      sum -= old;
      sumSq -= old * old;
      head = head + 1 === window ? 0 : head + 1;
      size--;
    }
    const tail = (head + size) % window;
    ring[tail] = lane;
    size++;
    sum += lane;
    sumSq += lane * lane;
    const mean = sum / size;
    if (sumSq / size - mean * mean < 6.25) stableCount++;
  }
  return stableCount;
}
