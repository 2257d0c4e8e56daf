import type { ByteSource } from "./byte-source.ts";
import { FastRows } from "./csv-fast-row.ts";
import { gramsToCounts, rowCells, rowTMs, shelfCellValue } from "./csv-rules.ts";
import type { RawShelfChunk, RawShelfStream } from "./raw-trace.ts";
import type { TraceHeader } from "./trace-meta.ts";
import { NO_SAMPLE, type ShelfHeader } from "./trace-stream.ts";
import { TraceError, type TraceChannel } from "./trace-types.ts";

export const CHUNK_ROWS = 4096;

/**
 * A CSV shelf trace's rows as chunks, parsed from the bytes in place. Plain rows take the fast
 * path (csv-fast-row.ts); any other line is decoded and goes through the format's rules in
 * csv-rules.ts, which accept it with the same values or throw the one error the reader before
 * streaming gave (file:line).
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
  private readonly fast: FastRows;
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
    this.fast = new FastRows(this.chunk, this.offset, this.gramsPerCount);
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
        const p = this.isGrams ? this.fast.grams(src.buf, s, r, this.lastTMs) : this.fast.counts(src.buf, s, r, this.lastTMs);
        // p is the index of the row's '\n': the sentinel at src.end means the line may go on.
        const nl = p >= 0 ? p : src.buf.indexOf(10, s);
        if (nl >= src.end && src.refill(s, `line ${this.lineNo + 1}`)) continue;
        this.lineNo++;
        src.start = nl + 1;
        if (p >= 0) {
          this.lastTMs = chunk.tMs[r];
          this.sampleCount += this.fast.samples;
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
