import type { TraceHeader } from "./trace-meta.ts";
import type { ShelfChunk, ShelfStream } from "./trace-stream.ts";
import type { GateTrace } from "./trace-types.ts";

/*
 * A trace as written, for converting between forms without loss: the metadata lines and header
 * row verbatim, t_ms as written, grams as written. Replay needs none of this; it reads ShelfStream.
 */

export interface RawShelfChunk extends ShelfChunk {
  /** Each row's t_ms as written (tUs is Math.round(tMs × 1000)). */
  tMs: Float64Array;
  /** With unit "grams": per channel the grams as written, NaN for an empty cell. Undefined with unit "counts". */
  grams: Float64Array[] | undefined;
}

export interface RawShelfStream extends ShelfStream {
  nextRaw(): RawShelfChunk | undefined;
}

export interface GateRow {
  tMs: number;
  /** One trimmed cell per gate column ("" for an empty cell). */
  cells: string[];
}

interface RawCommon {
  file: string;
  header: TraceHeader;
  /** The metadata lines (`# KEY: VALUE`, without the version line) and, last, the header row. */
  preamble: string[];
}

export type RawTrace =
  | (RawCommon & { kind: "shelf"; stream: RawShelfStream })
  | (RawCommon & { kind: "gate"; rows: GateRow[]; trace: GateTrace });
