import { NO_SAMPLE, type ShelfStream } from "../trace/trace-stream.ts";
import { DetailKeeper, mergePoints, type DetailWindow } from "./detail-windows.ts";
import { MinMaxBuckets } from "./min-max-buckets.ts";
import type { ShelfLaneSeries, TraceSeries } from "./series-types.ts";

/**
 * Each lane's weight over time from a shelf stream, in one pass and constant memory: grams =
 * (counts − offset) × g_per_count per channel (the trace's own calibration), summed over the
 * lane's channels, each holding its last sample (channels may be sampled at different instants).
 * A lane starts once all its channels have a sample. At most `maxPoints` points per lane, plus
 * full detail in the windows given (with 2,000 points a lane, up to 800 points each, 8,000 a lane
 * in all; proportionally fewer with fewer points).
 */
export function shelfSeries(stream: ShelfStream, maxPoints: number, windows: DetailWindow[] = []): TraceSeries {
  const { channels, lanes } = stream.header;
  const grams = new Float64Array(channels.length);
  const seen = new Uint8Array(channels.length);
  const lanesOf = channels.map((_, c) => lanes.flatMap((l, i) => (l.channels.includes(c) ? [i] : [])));
  const buckets = lanes.map(() => new MinMaxBuckets(Math.max(1, Math.floor(maxPoints / 2))));
  const details = lanes.map((lane) => {
    const mine = windows.filter((w) => w.lane === lane.id);
    // Detail shrinks with the coarse series when a report of many traces asks for fewer points.
    const cap = Math.max(40, Math.round((800 * maxPoints) / 2000));
    return new DetailKeeper(mine, Math.max(40, Math.min(cap, Math.floor((cap * 10) / Math.max(1, mine.length)))));
  });
  const missing = lanes.map((l) => new Set(l.channels).size);
  const dirty = new Uint8Array(lanes.length);
  const offsets = channels.map((c) => c.offset);
  const scale = channels.map((c) => c.gramsPerCount);
  for (let chunk = stream.next(); chunk !== undefined; chunk = stream.next()) {
    const { rows, tUs, counts } = chunk;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < channels.length; c++) {
        const v = counts[c][r];
        if (v === NO_SAMPLE) continue;
        grams[c] = (v - offsets[c]) * scale[c];
        if (seen[c] === 0) {
          seen[c] = 1;
          for (const l of lanesOf[c]) missing[l]--;
        }
        for (const l of lanesOf[c]) dirty[l] = 1;
      }
      for (let l = 0; l < lanes.length; l++) {
        if (dirty[l] === 0) continue;
        dirty[l] = 0;
        if (missing[l] > 0) continue;
        let sum = 0;
        for (const c of lanes[l].channels) sum += grams[c];
        buckets[l].add(tUs[r], sum);
        details[l].add(tUs[r], sum);
      }
    }
  }
  const out: ShelfLaneSeries[] = lanes.map((lane, l) => {
    const p = mergePoints(buckets[l].points(), details[l].points());
    return {
      lane: lane.id, sku: lane.sku, unitG: lane.unitG,
      tMs: p.tUs.map((t) => Math.round(t / 100) / 10),
      grams: p.values.map((g) => Math.round(g * 10) / 10),
    };
  });
  return { kind: "shelf", endMs: stream.endUs / 1000, samples: stream.sampleCount, lanes: out };
}
