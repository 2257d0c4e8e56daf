import { NO_SAMPLE, type ShelfChunk, type ShelfStream } from "./trace-stream.ts";
import type { ShelfTrace } from "./trace-types.ts";

const CHUNK_ROWS = 4096;

/**
 * A shelf trace already in memory (generated, or read whole) as a stream. Rows are rebuilt by
 * merging the channels' sample times: samples of equal time share a row.
 */
export function memoryShelfStream(trace: ShelfTrace): ShelfStream {
  const { samples, sampleCount, endUs, ...header } = trace;
  const n = samples.length;
  const next = new Array<number>(n).fill(0);
  const chunk: ShelfChunk = { rows: 0, tUs: new Float64Array(CHUNK_ROWS), counts: samples.map(() => new Int32Array(CHUNK_ROWS)) };
  return {
    header,
    sampleCount,
    endUs,
    close() {},
    next() {
      chunk.rows = 0;
      while (chunk.rows < CHUNK_ROWS) {
        let t = Infinity;
        for (let c = 0; c < n; c++) if (next[c] < samples[c].tUs.length && samples[c].tUs[next[c]] < t) t = samples[c].tUs[next[c]];
        if (t === Infinity) break;
        const r = chunk.rows++;
        chunk.tUs[r] = t;
        for (let c = 0; c < n; c++) {
          const s = samples[c];
          if (next[c] < s.tUs.length && s.tUs[next[c]] === t) chunk.counts[c][r] = s.counts[next[c]++];
          else chunk.counts[c][r] = NO_SAMPLE;
        }
      }
      return chunk.rows > 0 ? chunk : undefined;
    },
  };
}
