import { NO_SAMPLE as NO_SAMPLE_EXPORT, type ShelfStream } from "../trace/trace-stream.ts";

/* Read once: an imported binding is a getter under tsx, and this is read a sample at a time. */
const NO_SAMPLE = NO_SAMPLE_EXPORT;

/* Rows a D line carries: long enough that reading and splitting a line costs the board little a row, short enough to stream. */
const ROWS_PER_LINE = 128;
/* Bytes of D lines handed to the pipe at once. */
const BLOCK_BYTES = 65536;

/* Writes v in decimal at p and returns where it ends. A whole number is written digit by digit; anything else as JavaScript prints it. */
function putNumber(buf: Buffer, p: number, v: number): number {
  if (!Number.isSafeInteger(v)) return p + buf.write(String(v), p, "latin1");
  if (v < 0) {
    buf[p++] = 45;
    v = -v;
  }
  let end = p + 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) end++;
  for (let i = end - 1; i >= p; i--) {
    const q = Math.floor(v / 10);
    buf[i] = 48 + v - q * 10;
    v = q;
  }
  return end;
}

/*
 * The longest D line of `cells` cells: "D cells", then per row a time and a count per cell, each
 * after a space, and the newline. A time prints in at most 24 characters (String of a double:
 * "-1.2345678901234567e+308"), a count of the Int32Array in at most 11 ("-2147483648").
 */
function maxLineBytes(cells: number): number {
  return 2 + 11 + ROWS_PER_LINE * (25 + cells * 12) + 1;
}

/**
 * A shelf trace's conversions as the virtual NodeMCU's D lines (sim/nodemcu/vboard.lua), whole
 * lines in blocks of about 64 KB: row by row, channels in wiring order, as the Espruino runners
 * are fed. Written as bytes, so that a long replay costs the host no string a number and no
 * conversion on the way to the pipe. Each block is a fresh buffer: the pipe may still hold the last.
 */
export function* luaRows(stream: ShelfStream): Generator<Uint8Array> {
  let buf: Buffer | undefined;
  let p = 0;
  for (let chunk = stream.next(); chunk !== undefined; chunk = stream.next()) {
    const { rows, tUs, counts } = chunk;
    const cells = counts.length;
    const room = maxLineBytes(cells);
    for (let r0 = 0; r0 < rows; r0 += ROWS_PER_LINE) {
      if (buf !== undefined && p + room > buf.length) {
        yield buf.subarray(0, p);
        buf = undefined;
      }
      if (buf === undefined) {
        buf = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, room));
        p = 0;
      }
      buf[p++] = 68; // D
      buf[p++] = 32;
      p = putNumber(buf, p, cells);
      const r1 = Math.min(rows, r0 + ROWS_PER_LINE);
      for (let r = r0; r < r1; r++) {
        buf[p++] = 32;
        p = putNumber(buf, p, tUs[r]);
        for (let c = 0; c < cells; c++) {
          const v = counts[c][r];
          buf[p++] = 32;
          if (v === NO_SAMPLE) buf[p++] = 95; // _
          else p = putNumber(buf, p, v);
        }
      }
      buf[p++] = 10;
    }
  }
  if (buf !== undefined && p > 0) yield buf.subarray(0, p);
}
