import { openBinTrace } from "./bin-trace.ts";
import { ByteSource, DEFAULT_BUFFER_BYTES } from "./byte-source.ts";
import { openCsvTrace } from "./csv-trace.ts";
import type { RawTrace } from "./raw-trace.ts";
import type { TraceStream } from "./trace-stream.ts";

export interface OpenTraceOptions {
  /** The read buffer's starting size (it grows only for a line or block larger than it). */
  bufferBytes?: number;
  /** Rows per chunk of a CSV shelf trace (binary chunks are the file's blocks). */
  chunkRows?: number;
}

/** Which form a path names: NAME.trace.bin is binary; anything else is read as CSV. */
export const isBinaryTrace = (path: string) => /\.bin$/i.test(path);

/**
 * Opens a trace of either form: a shelf trace as a stream of chunks, read in constant memory; a
 * gate trace whole. Problems with the file throw TraceError (file:line for CSV, file and byte
 * offset for binary); so does next() for a malformed row further on.
 */
export function openTraceStream(file: string, options: OpenTraceOptions = {}): TraceStream {
  const raw = openRawTrace(file, options);
  return raw.kind === "shelf" ? raw.stream : raw.trace;
}

/** As openTraceStream, with what converting needs: the preamble verbatim, t_ms and grams as written. */
export function openRawTrace(file: string, options: OpenTraceOptions = {}): RawTrace {
  const src = ByteSource.open(file, options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
  try {
    return isBinaryTrace(file) ? openBinTrace(src) : openCsvTrace(src, options.chunkRows);
  } catch (e) {
    src.close();
    throw e;
  }
}
