import { memoryShelfStream } from "../trace/memory-stream.ts";
import { readTrace } from "../trace/trace-reader.ts";
import type { DetailWindow } from "./detail-windows.ts";
import { gateSeries } from "./gate-series.ts";
import type { TraceSeries } from "./series-types.ts";
import { shelfSeries } from "./shelf-series.ts";

/**
 * What the report draws of one trace file: each shelf lane's weight, at most `maxPointsPerLane`
 * points (min and max per time bucket) plus full detail in the `detail` windows (where the report
 * zooms to its issues), or each gate lane's timeline. The only place the report
 * reads a trace: shelfSeries consumes a ShelfStream chunk by chunk in constant memory, so once
 * traces open as streams, this reads a trace of any size without holding it.
 */
export function laneSeries(path: string, maxPointsPerLane = 2000, detail: DetailWindow[] = []): TraceSeries {
  const trace = readTrace(path);
  if (trace.kind === "gate") return gateSeries(trace);
  const stream = memoryShelfStream(trace);
  try {
    return shelfSeries(stream, maxPointsPerLane, detail);
  } finally {
    stream.close();
  }
}
