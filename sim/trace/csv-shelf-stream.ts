import type { ByteSource } from "./byte-source.ts";
import { MAX_COUNT as MAX_COUNT_, MIN_COUNT as MIN_COUNT_, gramsToCounts as gramsToCounts_, rowCells, rowTMs, shelfCellValue } from "./csv-rules.ts";
import type { RawShelfChunk, RawShelfStream } from "./raw-trace.ts";
import type { TraceHeader } from "./trace-meta.ts";
import { NO_SAMPLE as NO_SAMPLE_, type ShelfHeader } from "./trace-stream.ts";
import { TraceError, type TraceChannel } from "./trace-types.ts";

// Module-local copies: imported bindings may be read through accessors (tsx), too slow per sample.
const MIN_COUNT = MIN_COUNT_;
const MAX_COUNT = MAX_COUNT_;
const NO_SAMPLE = NO_SAMPLE_;
const gramsToCounts = gramsToCounts_;

export const CHUNK_ROWS = 4096;
// Exact powers of ten: a decimal of at most 15 digits is its digits ÷ 10^k, rounded once, as Number() gives it.
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const NOT_FAST = -1;

/**
 * A CSV shelf trace's rows as chunks, parsed from the bytes in place. Plain rows (unsigned
 * decimal t_ms, integer counts or plain decimal grams, no spaces or quotes) take the fast path;
 * any other line is decoded and goes through the format's rules in csv-rules.ts, which accept it
 * with the same values or throw the one error TraceParser always gave.
 */
export class CsvShelfStream implements RawShelfStream {
  readonly header: ShelfHeader;
  sampleCount = 0;
  endUs = 0;
  private readonly chunk: RawShelfChunk;
  private readonly channels: TraceChannel[];
  private readonly offset: Float64Array;
  private readonly gramsPerCount: Float64Array;
  private readonly isGrams: boolean;
  private lastTMs = -Infinity;
  private rows = 0;
  private rowSamples = 0;
  private done = false;

  constructor(private readonly src: ByteSource, h: TraceHeader, private lineNo: number, private readonly chunkRows = CHUNK_ROWS) {
    this.channels = h.channels!;
    this.header = { kind: "shelf", file: src.file, meta: h.meta, device: h.device, rateHz: h.rateHz!, unit: h.unit!, channels: this.channels, lanes: h.lanes! };
    this.isGrams = h.unit === "grams";
    this.offset = Float64Array.from(this.channels, (c) => c.offset);
    this.gramsPerCount = Float64Array.from(this.channels, (c) => c.gramsPerCount);
    const n = this.channels.length;
    this.chunk = {
      rows: 0, tUs: new Float64Array(chunkRows), tMs: new Float64Array(chunkRows),
      counts: Array.from({ length: n }, () => new Int32Array(chunkRows)),
      grams: this.isGrams ? Array.from({ length: n }, () => new Float64Array(chunkRows)) : undefined,
    };
  }

  next(): RawShelfChunk | undefined {
    return this.nextRaw();
  }

  nextRaw(): RawShelfChunk | undefined {
    if (this.done) return undefined;
    const src = this.src;
    const chunk = this.chunk;
    let r = 0;
    try {
      while (r < this.chunkRows) {
        const s = src.start;
        if (s >= src.end) {
          if (src.refill(s, `line ${this.lineNo + 1}`)) continue;
          break;
        }
        const p = this.isGrams ? this.fastGrams(src.buf, s, r) : this.fastCounts(src.buf, s, r);
        // p is the index of the row's '\n': the sentinel at src.end means the line may go on.
        const nl = p >= 0 ? p : src.buf.indexOf(10, s);
        if (nl >= src.end && src.refill(s, `line ${this.lineNo + 1}`)) continue;
        this.lineNo++;
        src.start = nl + 1;
        if (p >= 0) {
          this.lastTMs = chunk.tMs[r];
          this.sampleCount += this.rowSamples;
          r++;
        } else if (this.slowLine(src.buf.toString("utf8", s, nl), r)) {
          r++;
        }
      }
    } catch (e) {
      this.close();
      throw e;
    }
    if (r === 0) {
      this.close();
      if (this.rows === 0) throw new TraceError(src.file, this.lineNo, "the trace has a header but no data rows");
      return undefined;
    }
    this.rows += r;
    chunk.rows = r;
    this.endUs = chunk.tUs[r - 1];
    return chunk;
  }

  close(): void {
    this.done = true;
    this.src.close();
  }

  /** Parses a plain counts row at p into row r; returns the index of its '\n', or NOT_FAST. Commits nothing. */
  private fastCounts(buf: Buffer, p: number, r: number): number {
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
    if (tMs < this.lastTMs) return NOT_FAST;
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
    this.rowSamples = samples;
    if (b === 10) return p;
    return b === 13 && buf[p + 1] === 10 ? p + 1 : NOT_FAST;
  }

  /** As fastCounts, for grams written as plain decimals, turned into counts with the channel's calibration. */
  private fastGrams(buf: Buffer, p: number, r: number): number {
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
    if (tMs < this.lastTMs) return NOT_FAST;
    const chunk = this.chunk;
    chunk.tMs[r] = tMs;
    chunk.tUs[r] = Math.round(tMs * 1000);
    const counts = chunk.counts;
    const grams = chunk.grams!;
    let samples = 0;
    for (let c = 0; c < counts.length; c++) {
      if (b !== 44) return NOT_FAST;
      b = buf[++p];
      if (b === 44 || b === 10 || b === 13) {
        counts[c][r] = NO_SAMPLE;
        grams[c][r] = NaN;
        continue;
      }
      const neg = b === 45;
      if (neg) b = buf[++p];
      mant = 0;
      digits = 0;
      frac = -1;
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
      const g = frac > 0 ? mant / POW10[frac] : mant;
      const value = neg ? -g : g;
      grams[c][r] = value;
      counts[c][r] = gramsToCounts(value, this.offset[c], this.gramsPerCount[c]);
      samples++;
    }
    this.rowSamples = samples;
    if (b === 10) return p;
    return b === 13 && buf[p + 1] === 10 ? p + 1 : NOT_FAST;
  }

  /** Any other line, by the format's rules on text: false for a blank or comment line. */
  private slowLine(raw: string, r: number): boolean {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "" || line.startsWith("#")) return false;
    const fail = (problem: string): never => {
      throw new TraceError(this.src.file, this.lineNo, problem);
    };
    const cells = rowCells(line, this.channels.length + 1, fail);
    const tMs = rowTMs(cells[0], this.lastTMs, fail);
    const chunk = this.chunk;
    chunk.tMs[r] = tMs;
    chunk.tUs[r] = Math.round(tMs * 1000);
    const unit = this.isGrams ? "grams" : "counts";
    for (let c = 0; c < this.channels.length; c++) {
      const v = shelfCellValue(cells[c + 1], unit, this.channels[c], fail);
      if (chunk.grams) chunk.grams[c][r] = v ?? NaN;
      if (v === undefined) chunk.counts[c][r] = NO_SAMPLE;
      else {
        chunk.counts[c][r] = this.isGrams ? gramsToCounts(v, this.offset[c], this.gramsPerCount[c]) : v;
        this.sampleCount++;
      }
    }
    this.lastTMs = tMs;
    return true;
  }
}
