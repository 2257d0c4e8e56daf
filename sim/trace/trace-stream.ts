import type { GateTrace, ShelfTrace } from "./trace-types.ts";

/*
 * A trace read a chunk at a time, so that a trace of several GB replays in constant memory.
 * Both forms (CSV and binary) open to this; the runners consume only this.
 */

/** A shelf trace's metadata: everything of ShelfTrace but the samples. */
export type ShelfHeader = Omit<ShelfTrace, "samples" | "sampleCount" | "endUs">;

/** Marks a row's cell that holds no sample for that channel (outside the HX711's 24-bit range). */
export const NO_SAMPLE = -0x80000000;

/**
 * Consecutive data rows. Arrays may be longer than `rows`; only the first `rows` entries count.
 * A chunk is only valid until the next call to next(): readers reuse the arrays.
 */
export interface ShelfChunk {
  rows: number;
  /** Row times in µs (t_ms × 1000, rounded), non-decreasing across chunks. */
  tUs: Float64Array;
  /** Per channel, in header order: raw signed 24-bit counts, or NO_SAMPLE. Grams are already turned into counts. */
  counts: Int32Array[];
}

export interface ShelfStream {
  readonly header: ShelfHeader;
  /** The next chunk, or undefined at the end. A malformed row throws TraceError (file:line). */
  next(): ShelfChunk | undefined;
  /** Samples (non-empty cells) and the last row's time, so far. */
  readonly sampleCount: number;
  readonly endUs: number;
  close(): void;
}

/** Gate traces are sparse (a row per change): they are read whole. */
export type TraceStream = ShelfStream | GateTrace;
