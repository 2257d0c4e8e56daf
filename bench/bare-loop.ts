/*
 * The baseline: the shelf's per-sample maths, with nothing else. Counts to grams, the lane sum,
 * a windowed mean and variance kept as running sums, and the stability test — over typed
 * arrays, in one tight loop. A runner's throughput is reported as a share of this.
 */
export function bareLoop(counts: Int32Array, channels: number, offset: Float64Array, gramsPerCount: Float64Array, window: number): number {
  const ring = new Float64Array(window);
  const grams = new Float64Array(channels);
  let head = 0;
  let size = 0;
  let sum = 0;
  let sumSq = 0;
  let stableCount = 0;
  const rows = counts.length / channels;
  for (let r = 0; r < rows; r++) {
    let lane = 0;
    for (let c = 0; c < channels; c++) {
      grams[c] = (counts[r * channels + c] - offset[c]) * gramsPerCount[c];
      lane += grams[c];
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
