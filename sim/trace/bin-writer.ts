import { writeSync } from "node:fs";
import { BLOCK_HEADER_BYTES, FILE_HEADER_BYTES, FLAG_T_MS, MAGIC, MAX_BLOCK_BYTES, TARGET_BLOCK_BYTES, VERSION, pad8, sealBlock, shelfRowsBytes } from "./bin-blocks.ts";
import type { GateRow, RawShelfChunk } from "./raw-trace.ts";
import { NO_SAMPLE } from "./trace-stream.ts";
import { TraceError } from "./trace-types.ts";

/** A gate cell's code: 0 empty, 1 "0", 2 "1", 3 any other text (an admit token, kept in the block's token list). */
export const gateCode = (cell: string) => (cell === "" ? 0 : cell === "0" ? 1 : cell === "1" ? 2 : 3);

/** Writes the binary trace form (docs/trace-binary.md) to an open file, a block at a time. */
export class BinTraceWriter {
  private buf = Buffer.allocUnsafeSlow(2 * TARGET_BLOCK_BYTES);
  private pos = 0;
  private rows = 0;
  private samples = 0;
  private blocks = 0;

  constructor(private readonly fd: number, private readonly file: string, preamble: string[], private readonly channels: number, private readonly grams: boolean) {
    MAGIC.copy(this.buf, 0);
    this.buf.writeUInt32LE(VERSION, 8);
    this.buf.writeUInt32LE(0, 12);
    this.pos = FILE_HEADER_BYTES;
    const text = Buffer.from(preamble.join("\n"), "utf8");
    const at = this.room(pad8(text.length));
    this.buf.fill(0, at + BLOCK_HEADER_BYTES, at + BLOCK_HEADER_BYTES + pad8(text.length));
    text.copy(this.buf, at + BLOCK_HEADER_BYTES);
    this.pos = sealBlock(this.buf, at, "META", 0, text.length, pad8(text.length));
  }

  /** Rows [0, chunk.rows) of a shelf chunk, in blocks of about TARGET_BLOCK_BYTES. */
  shelf(chunk: RawShelfChunk): void {
    const perRow = 16 + this.channels * (this.grams ? 8 : 4);
    const step = Math.max(1, Math.floor(TARGET_BLOCK_BYTES / perRow));
    for (let a = 0; a < chunk.rows; a += step) this.shelfBlock(chunk, a, Math.min(step, chunk.rows - a));
  }

  private shelfBlock(chunk: RawShelfChunk, a: number, n: number): void {
    let hasTMs = false;
    for (let i = a; i < a + n && !hasTMs; i++) hasTMs = !Object.is(chunk.tUs[i] / 1000, chunk.tMs[i]);
    const bytes = shelfRowsBytes(n, this.channels, this.grams, hasTMs);
    const at = this.room(bytes);
    const buf = this.buf;
    let p = at + BLOCK_HEADER_BYTES;
    new Float64Array(buf.buffer, p, n).set(chunk.tUs.subarray(a, a + n));
    p += 8 * n;
    if (hasTMs) {
      new Float64Array(buf.buffer, p, n).set(chunk.tMs.subarray(a, a + n));
      p += 8 * n;
    }
    for (let c = 0; c < this.channels; c++) {
      const counts = chunk.counts[c];
      for (let i = a; i < a + n; i++) if (counts[i] !== NO_SAMPLE) this.samples++;
      if (this.grams) {
        new Float64Array(buf.buffer, p, n).set(chunk.grams![c].subarray(a, a + n));
        p += 8 * n;
      } else {
        new Int32Array(buf.buffer, p, n).set(counts.subarray(a, a + n));
        buf.fill(0, p + 4 * n, p + pad8(4 * n));
        p += pad8(4 * n);
      }
    }
    this.pos = sealBlock(buf, at, "ROWS", hasTMs ? FLAG_T_MS : 0, n, bytes);
    this.rows += n;
    this.blocks++;
  }

  /** Gate rows: t_ms, a code per cell (0 empty, 1 "0", 2 "1", 3 the next token) and the tokens as a JSON list. */
  gate(rows: GateRow[]): void {
    for (let a = 0; a < rows.length; ) {
      const tokens: string[] = [];
      let n = 0;
      let tokenBytes = 2;
      const columns = rows[a].cells.length;
      while (a + n < rows.length && (n === 0 || 9 * n + columns * n + tokenBytes < TARGET_BLOCK_BYTES)) {
        for (const cell of rows[a + n].cells) {
          if (gateCode(cell) !== 3) continue;
          tokens.push(cell);
          tokenBytes += Buffer.byteLength(JSON.stringify(cell)) + 1;
        }
        n++;
      }
      const json = Buffer.from(JSON.stringify(tokens), "utf8");
      const codesAt = 8 * n;
      const jsonAt = codesAt + pad8(n * columns);
      const bytes = pad8(jsonAt + json.length);
      if (bytes > MAX_BLOCK_BYTES) throw new TraceError(this.file, 0, `a gate row's admit tokens take more than ${MAX_BLOCK_BYTES >> 20} MB`);
      const at = this.room(bytes);
      const p = at + BLOCK_HEADER_BYTES;
      const buf = this.buf;
      buf.fill(0, p, p + jsonAt);
      for (let i = 0; i < n; i++) {
        const row = rows[a + i];
        buf.writeDoubleLE(row.tMs, p + 8 * i);
        row.cells.forEach((cell, c) => (buf[p + codesAt + i * columns + c] = gateCode(cell)));
        for (const cell of row.cells) if (cell !== "") this.samples++;
      }
      json.copy(buf, p + jsonAt);
      buf.fill(0x20, p + jsonAt + json.length, p + bytes);
      this.pos = sealBlock(buf, at, "GATE", 0, n, bytes);
      this.rows += n;
      this.blocks++;
      a += n;
    }
  }

  /** The END block (totals, so that a file cut at a block boundary is caught), then everything to the file. */
  end(): void {
    const at = this.room(24);
    const p = at + BLOCK_HEADER_BYTES;
    this.buf.writeDoubleLE(this.rows, p);
    this.buf.writeDoubleLE(this.samples, p + 8);
    this.buf.writeDoubleLE(this.blocks, p + 16);
    this.pos = sealBlock(this.buf, at, "END ", 0, 0, 24);
    this.flush();
  }

  /** Where a block of `bytes` payload goes: flushes first when the buffer has no room. */
  private room(bytes: number): number {
    const need = BLOCK_HEADER_BYTES + bytes;
    if (this.pos + need > this.buf.length) this.flush();
    if (need > this.buf.length) this.buf = Buffer.allocUnsafeSlow(pad8(need));
    return this.pos;
  }

  private flush(): void {
    for (let off = 0; off < this.pos; ) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }
}
