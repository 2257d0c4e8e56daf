import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ReplayEntry } from "../replay.ts";
import type { DetailWindow } from "./detail-windows.ts";
import { laneSeries } from "./lane-series.ts";
import { reportModel, type SeriesOrError } from "./report-model.ts";
import { reportHead, reportTail } from "./report-html.ts";
import { traceSection } from "./trace-section.ts";

export interface ReportOptions {
  /** Points kept per lane; by default 2,000, fewer when there are very many traces, so the page stays openable. */
  maxPointsPerLane?: number;
  /** Where a trace's series come from: laneSeries(file) unless given (a caller that already has them). */
  seriesOf?: (trace: string, maxPointsPerLane: number, detail: DetailWindow[]) => SeriesOrError;
}

/** 2,000 points per lane up to 500 traces, then fewer (never under 200): with 3 lanes a trace, about 3 M points in all, a page that opens in seconds. */
export function defaultPointsPerLane(traces: number): number {
  return Math.max(200, Math.min(2000, Math.floor(1_000_000 / Math.max(1, traces))));
}

function seriesOrError(trace: string, maxPoints: number, detail: DetailWindow[]): SeriesOrError {
  try {
    return laneSeries(trace, maxPoints, detail);
  } catch (e) {
    return { kind: "error", message: (e as Error).message };
  }
}

/**
 * Writes the HTML replay report: one self-contained file (uPlot and the page's script inline, no
 * external address). Traces are read and written one section at a time, so memory holds one
 * trace's series, not all of them. The file appears whole or not at all: a temporary file beside
 * it is renamed over it at the end.
 */
export function writeReport(file: string, entries: ReplayEntry[], failures: { trace: string; message: string }[] = [], opts: ReportOptions = {}): { bytes: number; traces: number } {
  const traces = reportModel(entries);
  const points = opts.maxPointsPerLane ?? defaultPointsPerLane(traces.length);
  const seriesOf = opts.seriesOf ?? seriesOrError;
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    throw new Error(`cannot write the report ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let bytes = 0;
  const put = (s: string) => (bytes += writeSync(fd, s));
  try {
    put(reportHead(traces, failures));
    for (const t of traces) put(traceSection(t, seriesOf(t.file, points, t.issues.map((i) => ({ lane: i.lane, ...i.zoom })))));
    put(reportTail());
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed: the failure came from the rename
    }
    rmSync(tmp, { force: true });
    throw new Error(`cannot write the report ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { bytes, traces: traces.length };
}
