import { writeSync } from "node:fs";

const BUFFER_BYTES = 1 << 20;
/** Below this many µs, a time that is whole µs prints as its integer ms and up to 3 decimals, as String() would. */
const PLAIN_US = 2 ** 42;

/**
 * CSV text written as bytes into one reused buffer, flushed to a file about every MB: numbers
 * without making a string for each.
 */
export class CsvBytes {
  private buf = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  private pos = 0;

  constructor(private readonly fd: number) {}

  private room(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.flush();
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** An integer of at most 15 digits, as String() prints it. */
  int(v: number): void {
    this.room(17);
    const buf = this.buf;
    if (v < 0) {
      buf[this.pos++] = 45;
      v = -v;
    }
    let digits = 1;
    for (let x = 10; x <= v && digits < 16; x *= 10) digits++;
    let p = this.pos + digits;
    this.pos = p;
    if (v <= 0x7fffffff) {
      // Counts: 32-bit division, far cheaper than Math.floor of a double's.
      do {
        const q = (v / 10) | 0;
        buf[--p] = 48 + v - q * 10;
        v = q;
      } while (v > 0);
      return;
    }
    do {
      const q = Math.floor(v / 10);
      buf[--p] = 48 + v - q * 10;
      v = q;
    } while (v > 0);
  }

  /**
   * t_ms as String() prints it. When t_ms is tUs / 1000 and small enough that any two decimals
   * of 3 places are more than a double's spacing apart, that is its integer part and its
   * thousandths without trailing zeros; otherwise String() itself.
   */
  time(tMs: number, tUs: number): void {
    if (!(tUs < PLAIN_US && tUs / 1000 === tMs && tUs >= 0) || Object.is(tMs, -0)) return this.text(numberText(tMs));
    this.room(32);
    const ms = Math.floor(tUs / 1000);
    let frac = tUs - ms * 1000;
    this.int(ms);
    if (frac === 0) return;
    const buf = this.buf;
    buf[this.pos++] = 46;
    let div = 100;
    while (frac > 0) {
      const d = Math.floor(frac / div);
      buf[this.pos++] = 48 + d;
      frac -= d * div;
      div /= 10;
    }
  }

  text(s: string): void {
    this.room(3 * s.length);
    if (3 * s.length > this.buf.length) this.buf = Buffer.allocUnsafeSlow(3 * s.length);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  flush(): void {
    for (let off = 0; off < this.pos; ) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }
}

/**
 * A number as sim/gen/trace-writer.ts writes it (String), keeping the sign of −0. Grams past a
 * double's range ("1e400") read as ±Infinity; they are written back as a decimal that does too.
 */
export const numberText = (v: number) => (Object.is(v, -0) ? "-0" : v === Infinity ? "1e999" : v === -Infinity ? "-1e999" : String(v));
