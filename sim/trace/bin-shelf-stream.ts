import { BlockReader, FLAG_T_MS, checkEnd, shelfRowsBytes, type Block } from "./bin-blocks.ts";
import { MAX_COUNT as MAX_COUNT_, MIN_COUNT as MIN_COUNT_, gramsToCounts as gramsToCounts_ } from "./csv-rules.ts";
import type { RawShelfChunk, RawShelfStream } from "./raw-trace.ts";
import type { TraceHeader } from "./trace-meta.ts";
import { NO_SAMPLE as NO_SAMPLE_, type ShelfChunk, type ShelfHeader } from "./trace-stream.ts";
import type { TraceChannel } from "./trace-types.ts";

// Module-local copies: imported bindings may be read through accessors (tsx), too slow per sample.
const MIN_COUNT = MIN_COUNT_;
const MAX_COUNT = MAX_COUNT_;
const NO_SAMPLE = NO_SAMPLE_;
const gramsToCounts = gramsToCounts_;

/** Past this a time in µs is no longer a whole number a double holds exactly. */
const MAX_T_US = 2 ** 53;

/**
 * A binary shelf trace's ROWS blocks as chunks. With unit "counts" a chunk's arrays are views on
 * the read buffer (no copy); every block is still checked: its CRC, its size for its row count,
 * times whole, ≥ 0 and non-decreasing, counts within 24 bits or NO_SAMPLE.
 */
export class BinShelfStream implements RawShelfStream {
  readonly header: ShelfHeader;
  sampleCount = 0;
  endUs = 0;
  private readonly channels: TraceChannel[];
  private readonly isGrams: boolean;
  private readonly chunk: RawShelfChunk;
  private rows = 0;
  private blocks = 0;
  private lastTMs = 0;
  private done = false;

  constructor(private readonly reader: BlockReader, h: TraceHeader) {
    this.channels = h.channels!;
    this.isGrams = h.unit === "grams";
    this.header = { kind: "shelf", file: reader.src.file, meta: h.meta, device: h.device, rateHz: h.rateHz!, unit: h.unit!, channels: this.channels, lanes: h.lanes! };
    this.chunk = { rows: 0, tUs: new Float64Array(0), tMs: new Float64Array(0), counts: this.channels.map(() => new Int32Array(0)), grams: this.isGrams ? [] : undefined };
  }

  next(): ShelfChunk | undefined {
    return this.read(false);
  }

  nextRaw(): RawShelfChunk | undefined {
    return this.read(true);
  }

  close(): void {
    this.done = true;
    this.reader.src.close();
  }

  private read(raw: boolean): RawShelfChunk | undefined {
    if (this.done) return undefined;
    for (;;) {
      const b = this.reader.next();
      if (b === undefined) this.reader.fail(`the file ends at byte ${this.reader.src.size} without an END block (truncated)`);
      if (b.tag === "ROWS") return this.rowsBlock(b, raw);
      if (b.tag === "END ") return this.end(b);
      if (!/^[a-z]/.test(b.tag)) this.reader.fail(`unexpected ${JSON.stringify(b.tag)} block in a shelf trace`, b.offset);
    }
  }

  private rowsBlock(b: Block, raw: boolean): RawShelfChunk {
    const fail = (problem: string): never => this.reader.fail(`"ROWS" block: ${problem}`, b.offset);
    const n = b.count;
    const hasTMs = (b.flags & FLAG_T_MS) !== 0;
    const want = shelfRowsBytes(n, this.channels.length, this.isGrams, hasTMs);
    if ((b.flags & ~FLAG_T_MS) !== 0) fail(`unknown flags ${b.flags}`);
    if (n === 0 || want !== b.bytes) fail(`${n} rows of ${this.channels.length} channels take ${want} bytes, not ${b.bytes}`);
    const ab = this.reader.src.buf.buffer;
    let p = this.reader.src.buf.byteOffset + b.at;
    const chunk = this.chunk;
    const tUs = new Float64Array(ab, p, n);
    p += 8 * n;
    let last = this.endUs;
    for (let i = 0; i < n; i++) {
      const t = tUs[i];
      if (!(t >= last && t <= MAX_T_US && Math.floor(t) === t)) fail(`row ${this.rows + i + 1}: time ${t} µs is not a whole number ≥ ${last} (the previous row's)`);
      last = t;
    }
    if (hasTMs) {
      chunk.tMs = new Float64Array(ab, p, n);
      p += 8 * n;
      for (let i = 0; i < n; i++) {
        const t = chunk.tMs[i];
        if (!(t >= this.lastTMs) || Math.round(t * 1000) !== tUs[i]) fail(`row ${this.rows + i + 1}: t_ms ${t} does not give ${tUs[i]} µs or goes back in time`);
        this.lastTMs = t;
      }
    } else if (raw) {
      if (chunk.tMs.length < n || chunk.tMs.buffer === ab) chunk.tMs = new Float64Array(Math.max(n, 4096));
      for (let i = 0; i < n; i++) chunk.tMs[i] = tUs[i] / 1000;
      this.lastTMs = chunk.tMs[n - 1];
    } else this.lastTMs = tUs[n - 1] / 1000;
    let samples = 0;
    for (let c = 0; c < this.channels.length; c++) {
      if (this.isGrams) {
        const grams = new Float64Array(ab, p, n);
        p += 8 * n;
        chunk.grams![c] = grams;
        samples += this.countsOfGrams(c, grams, n);
      } else {
        const counts = new Int32Array(ab, p, n);
        p += 4 * n + (n % 2) * 4;
        chunk.counts[c] = counts;
        for (let i = 0; i < n; i++) {
          const v = counts[i];
          if (v === NO_SAMPLE) continue;
          if (v < MIN_COUNT || v > MAX_COUNT) fail(`row ${this.rows + i + 1}, channel ${this.channels[c].id}: ${v} is outside the HX711's signed 24-bit range`);
          samples++;
        }
      }
    }
    chunk.rows = n;
    chunk.tUs = tUs;
    this.rows += n;
    this.blocks++;
    this.sampleCount += samples;
    this.endUs = last;
    return chunk;
  }

  /** Grams to counts into this stream's own array (the block keeps the grams as written). */
  private countsOfGrams(c: number, grams: Float64Array, n: number): number {
    if (this.chunk.counts[c].length < n) this.chunk.counts[c] = new Int32Array(Math.max(n, 4096));
    const counts = this.chunk.counts[c];
    const { offset, gramsPerCount } = this.channels[c];
    let samples = 0;
    for (let i = 0; i < n; i++) {
      const g = grams[i];
      if (g !== g) counts[i] = NO_SAMPLE;
      else {
        counts[i] = gramsToCounts(g, offset, gramsPerCount);
        samples++;
      }
    }
    return samples;
  }

  private end(b: Block): undefined {
    checkEnd(this.reader, b, this.rows, this.sampleCount, this.blocks);
    this.close();
    return undefined;
  }
}
