import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { TraceError } from "./trace-types.ts";

export const DEFAULT_BUFFER_BYTES = 1 << 20;
/** No line or block of a trace is allowed to need more than this in memory at once. */
export const MAX_BUFFER_BYTES = 256 << 20;

/**
 * A file read through one reused buffer: bytes [start, end) are unread. After each read the byte
 * at `end` is a '\n' sentinel, so scanning loops stop at or before `end` without a bounds test.
 * The buffer is its own ArrayBuffer (byteOffset 0), so typed-array views on it stay aligned.
 */
export class ByteSource {
  buf: Buffer;
  start = 0;
  end = 0;
  eof = false;
  /** File offset of buf[0]. */
  base = 0;
  readonly size: number;
  private fd: number | undefined;

  private constructor(readonly file: string, fd: number | undefined, data: Buffer | undefined, bufferBytes: number) {
    this.fd = fd;
    if (data !== undefined) {
      this.buf = Buffer.allocUnsafeSlow(data.length + 1);
      data.copy(this.buf);
      this.end = data.length;
      this.eof = true;
      this.size = data.length;
    } else {
      this.buf = Buffer.allocUnsafeSlow(Math.max(16, bufferBytes));
      this.size = this.stat();
    }
    this.buf[this.end] = 10;
  }

  static open(file: string, bufferBytes = DEFAULT_BUFFER_BYTES): ByteSource {
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch (e) {
      throw new TraceError(file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return new ByteSource(file, fd, undefined, bufferBytes);
  }

  static of(data: Buffer, file: string): ByteSource {
    return new ByteSource(file, undefined, data, 0);
  }

  private stat(): number {
    try {
      return fstatSync(this.fd!).size;
    } catch (e) {
      this.close();
      throw new TraceError(this.file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  /**
   * Moves bytes [keep, end) to the front and reads more after them, growing the buffer when
   * they already fill it. Returns false at the end of the file (nothing more to read).
   */
  refill(keep: number, what = "a line"): boolean {
    if (this.eof) return false;
    if (keep > 0) {
      this.buf.copyWithin(0, keep, this.end);
      this.base += keep;
      this.start -= keep;
      this.end -= keep;
    }
    if (this.end + 1 >= this.buf.length) this.grow(this.buf.length * 2, what);
    let got: number;
    try {
      got = readSync(this.fd!, this.buf, this.end, this.buf.length - 1 - this.end, this.base + this.end);
    } catch (e) {
      throw new TraceError(this.file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (got === 0) this.eof = true;
    this.end += got;
    this.buf[this.end] = 10;
    return true;
  }

  /** Makes room for at least `bytes` bytes from `start` (the caller has checked them against the file size). */
  grow(bytes: number, what: string): void {
    if (bytes > MAX_BUFFER_BYTES) throw new TraceError(this.file, 0, `${what} at byte ${this.base + this.start} needs more than ${MAX_BUFFER_BYTES >> 20} MB`);
    let size = this.buf.length;
    while (size < bytes) size *= 2;
    const next = Buffer.allocUnsafeSlow(Math.min(size, MAX_BUFFER_BYTES));
    this.buf.copy(next, 0, 0, this.end + 1);
    this.buf = next;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
