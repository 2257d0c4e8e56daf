import { MAX_COUNT as MAX_COUNT_, MIN_COUNT as MIN_COUNT_, gramsToCounts as gramsToCounts_ } from "./csv-rules.ts";
import type { RawShelfChunk } from "./raw-trace.ts";
import { NO_SAMPLE as NO_SAMPLE_ } from "./trace-stream.ts";

// Module-local copies: imported bindings may be read through accessors (tsx), too slow per byte.
const MIN_COUNT = MIN_COUNT_;
const MAX_COUNT = MAX_COUNT_;
const NO_SAMPLE = NO_SAMPLE_;
const gramsToCounts = gramsToCounts_;
// Exact powers of ten: a decimal of at most 15 digits is its digits ÷ 10^k, rounded once, as Number() gives it.
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
export const NOT_FAST = -1;

/**
 * The fast path of the CSV shelf reader: a plain row parsed from the bytes into a chunk's row r.
 * Plain means an unsigned decimal t_ms, then per channel an empty cell, an integer of up to 8
 * digits (counts) or a signed decimal (grams) of up to 15 digits, and '\n' or "\r\n": nothing
 * the format's rules would read differently. Anything else gives NOT_FAST, and nothing of the
 * reader's state changes, so the line can go the slow way.
 */
export class FastRows {
  /** Non-empty cells of the last row parsed. */
  samples = 0;
  private value = 0;

  constructor(private readonly chunk: RawShelfChunk, private readonly offset: Float64Array, private readonly gramsPerCount: Float64Array) {}

  /** An unsigned plain decimal at p into this.value; the index after it, or NOT_FAST. */
  private decimal(buf: Buffer, p: number): number {
    let b = buf[p];
    let mant = 0;
    let digits = 0;
    let frac = -1;
    for (;;) {
      const d = b - 48;
      if (d >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
        if (frac >= 0) frac++;
      } else if (b === 46 && frac < 0) frac = 0;
      else break;
      b = buf[++p];
    }
    if (digits === 0 || digits > 15) return NOT_FAST;
    this.value = frac > 0 ? mant / POW10[frac] : mant;
    return p;
  }

  /** t_ms at p, not before lastTMs, into row r; the index after it, or NOT_FAST. */
  private time(buf: Buffer, p: number, r: number, lastTMs: number): number {
    p = this.decimal(buf, p);
    const tMs = this.value;
    if (p < 0 || tMs < lastTMs) return NOT_FAST;
    this.chunk.tMs[r] = tMs;
    this.chunk.tUs[r] = Math.round(tMs * 1000);
    return p;
  }

  /** The row's end at p: the index of its '\n', or NOT_FAST. */
  private static end(buf: Buffer, p: number): number {
    const b = buf[p];
    if (b === 10) return p;
    return b === 13 && buf[p + 1] === 10 ? p + 1 : NOT_FAST;
  }

  /** A row of counts at p; the index of its '\n', or NOT_FAST. */
  counts(buf: Buffer, p: number, r: number, lastTMs: number): number {
    // t_ms is parsed here as decimal() would: this row of counts is the hot path of every
    // replay, where a call and a field write a row are worth saving.
    let b = buf[p];
    let mant = 0;
    let digits = 0;
    let frac = -1;
    for (;;) {
      const d = b - 48;
      if (d >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
        if (frac >= 0) frac++;
      } else if (b === 46 && frac < 0) frac = 0;
      else break;
      b = buf[++p];
    }
    if (digits === 0 || digits > 15) return NOT_FAST;
    const tMs = frac > 0 ? mant / POW10[frac] : mant;
    if (tMs < lastTMs) return NOT_FAST;
    const chunk = this.chunk;
    chunk.tMs[r] = tMs;
    chunk.tUs[r] = Math.round(tMs * 1000);
    const counts = chunk.counts;
    let samples = 0;
    for (let c = 0; c < counts.length; c++) {
      if (b !== 44) return NOT_FAST;
      b = buf[++p];
      if (b === 44 || b === 10 || b === 13) {
        counts[c][r] = NO_SAMPLE;
        continue;
      }
      const neg = b === 45;
      if (neg) b = buf[++p];
      let v = 0;
      let nd = 0;
      for (let d = b - 48; d >= 0 && d <= 9; d = b - 48) {
        v = v * 10 + d;
        nd++;
        b = buf[++p];
      }
      if (nd === 0 || nd > 8) return NOT_FAST;
      if (neg) v = -v;
      if (v < MIN_COUNT || v > MAX_COUNT) return NOT_FAST;
      counts[c][r] = v;
      samples++;
    }
    this.samples = samples;
    return FastRows.end(buf, p);
  }

  /** A row of grams at p, turned into counts with each channel's calibration; the index of its '\n', or NOT_FAST. */
  grams(buf: Buffer, p: number, r: number, lastTMs: number): number {
    p = this.time(buf, p, r, lastTMs);
    if (p < 0) return NOT_FAST;
    const counts = this.chunk.counts;
    const grams = this.chunk.grams!;
    let samples = 0;
    for (let c = 0; c < counts.length; c++) {
      if (buf[p] !== 44) return NOT_FAST;
      let b = buf[++p];
      if (b === 44 || b === 10 || b === 13) {
        counts[c][r] = NO_SAMPLE;
        grams[c][r] = NaN;
        continue;
      }
      const neg = b === 45;
      p = this.decimal(buf, neg ? p + 1 : p);
      if (p < 0) return NOT_FAST;
      const value = neg ? -this.value : this.value;
      grams[c][r] = value;
      counts[c][r] = gramsToCounts(value, this.offset[c], this.gramsPerCount[c]);
      samples++;
    }
    this.samples = samples;
    return FastRows.end(buf, p);
  }
}
