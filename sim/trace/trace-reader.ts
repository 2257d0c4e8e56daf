import { ByteSource } from "./byte-source.ts";
import { collectShelf } from "./collect-shelf.ts";
import { openCsvTrace } from "./csv-trace.ts";
import { openTraceStream } from "./open-trace-stream.ts";
import type { Trace } from "./trace-types.ts";

/*
 * Whole traces in memory, for callers that want every sample at once. Both are built on the
 * streaming readers, so they give the same values and the same errors.
 */

/** Reads a trace of either form (NAME.trace.csv or NAME.trace.bin) whole. A malformed trace gives one TraceError. */
export function readTrace(file: string): Trace {
  const s = openTraceStream(file);
  return "next" in s ? collectShelf(s) : s;
}

/** Reads CSV text whole; `file` names it in errors. */
export function parseTrace(text: string, file: string): Trace {
  const raw = openCsvTrace(ByteSource.of(Buffer.from(text, "utf8"), file));
  return raw.kind === "shelf" ? collectShelf(raw.stream) : raw.trace;
}
