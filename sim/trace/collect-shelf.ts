import { NO_SAMPLE, type ShelfStream } from "./trace-stream.ts";
import type { ShelfTrace } from "./trace-types.ts";

/** A whole shelf trace in memory from its stream: each channel's samples with their times. */
export function collectShelf(stream: ShelfStream): ShelfTrace {
  const h = stream.header;
  const samples = h.channels.map(() => ({ tUs: [] as number[], counts: [] as number[] }));
  try {
    for (let chunk = stream.next(); chunk !== undefined; chunk = stream.next()) {
      for (let c = 0; c < samples.length; c++) {
        const { tUs, counts } = samples[c];
        const col = chunk.counts[c];
        for (let r = 0; r < chunk.rows; r++) {
          if (col[r] === NO_SAMPLE) continue;
          tUs.push(chunk.tUs[r]);
          counts.push(col[r]);
        }
      }
    }
  } finally {
    stream.close();
  }
  return { ...h, samples, sampleCount: stream.sampleCount, endUs: stream.endUs };
}
