import { MinMaxBuckets } from "./min-max-buckets.ts";

/** A stretch of a lane to keep at full detail: where the report zooms to show an issue. */
export interface DetailWindow {
  lane: string;
  t0Ms: number;
  t1Ms: number;
}

/**
 * Extra points for the stretches of one lane where the report zooms in, so a zoomed chart shows
 * the samples and not the whole trace's coarse buckets. Overlapping windows merge; each keeps up
 * to `pointsPerWindow` (min/max buckets again, so a long window cannot grow the page without
 * bound). Samples must arrive in time order, as a stream gives them.
 */
export class DetailKeeper {
  private readonly spans: { fromUs: number; toUs: number; buckets: MinMaxBuckets }[] = [];
  private next = 0;

  constructor(windows: { t0Ms: number; t1Ms: number }[], pointsPerWindow: number) {
    const sorted = windows.map((w) => [w.t0Ms * 1000, w.t1Ms * 1000]).sort((a, b) => a[0] - b[0]);
    const merged: number[][] = [];
    for (const w of sorted) {
      const last = merged[merged.length - 1];
      if (last !== undefined && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
      else merged.push([w[0], w[1]]);
    }
    const buckets = Math.max(1, Math.floor(pointsPerWindow / 2));
    for (const [fromUs, toUs] of merged) {
      // Wide enough that the window never needs to merge buckets: t − from < buckets × width.
      const widthUs = Math.max(1, Math.floor((toUs - fromUs) / buckets) + 1);
      this.spans.push({ fromUs, toUs, buckets: new MinMaxBuckets(buckets, widthUs) });
    }
  }

  add(tUs: number, value: number): void {
    while (this.next < this.spans.length && tUs > this.spans[this.next].toUs) this.next++;
    const s = this.spans[this.next];
    if (s !== undefined && tUs >= s.fromUs) s.buckets.add(tUs - s.fromUs, value);
  }

  /** The kept points, in time order. */
  points(): { tUs: number[]; values: number[] } {
    const tUs: number[] = [];
    const values: number[] = [];
    for (const s of this.spans) {
      const p = s.buckets.points();
      for (let i = 0; i < p.tUs.length; i++) {
        tUs.push(p.tUs[i] + s.fromUs);
        values.push(p.values[i]);
      }
    }
    return { tUs, values };
  }
}

/** Two time-ordered point sets as one, time-ordered, a time in both kept once. */
export function mergePoints(a: { tUs: number[]; values: number[] }, b: { tUs: number[]; values: number[] }): { tUs: number[]; values: number[] } {
  const tUs: number[] = [];
  const values: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.tUs.length || j < b.tUs.length) {
    const takeA = j >= b.tUs.length || (i < a.tUs.length && a.tUs[i] <= b.tUs[j]);
    const t = takeA ? a.tUs[i] : b.tUs[j];
    const v = takeA ? a.values[i++] : b.values[j++];
    if (tUs.length > 0 && tUs[tUs.length - 1] === t) continue;
    tUs.push(t);
    values.push(v);
  }
  return { tUs, values };
}
