/*
 * A serial port opened as a plain file, without a native module: stty sets the line up (raw, no
 * echo, the baud), fs.open gives the descriptor, Node's tty.ReadStream reads it (libuv reopens a
 * tty non-blocking and polls it), and fs.write writes. What arrives is kept as lines (CR dropped)
 * until a wait takes them; the line being received, a prompt with nothing after it, is looked at
 * too. Nothing here prints what it receives.
 */
import { execFile } from "node:child_process";
import { constants, openSync, write } from "node:fs";
import { ReadStream } from "node:tty";
import { promisify } from "node:util";

const run = promisify(execFile);

export class NodemcuSerial {
  private lines: string[] = [];
  private partial = "";
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(private readonly fd: number, private readonly stream: ReadStream) {
    stream.on("data", (d: Buffer) => this.take(d.toString("latin1")));
    stream.on("error", () => this.close());
  }

  /** Opens the port; a path that is not a terminal, or a line stty cannot set, is refused. */
  static async open(path: string, baud: number): Promise<NodemcuSerial> {
    try {
      await run("stty", ["-F", path, String(baud), "raw", "-echo", "clocal"]);
    } catch (e) {
      throw new Error(`cannot set up ${path} as a serial line: ${((e as { stderr?: string }).stderr || (e as Error).message).trim()}`);
    }
    const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY);
    // tty.ReadStream owns fd from here on: closing it closes the port.
    return new NodemcuSerial(fd, new ReadStream(fd));
  }

  /** Writes all of bytes (a full pty or UART buffer is waited out). */
  async write(data: string | Buffer): Promise<void> {
    let bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    while (bytes.length) {
      if (this.closed) throw new Error("the port is closed");
      const n = await new Promise<number>((resolve, reject) =>
        write(this.fd, bytes, 0, bytes.length, null, (err, written) => {
          if (err && err.code === "EAGAIN") resolve(0);
          else if (err) reject(err);
          else resolve(written);
        }));
      bytes = bytes.subarray(n);
      if (bytes.length) await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Forgets what has arrived so far. */
  drain(): void {
    this.lines = [];
    this.partial = "";
  }

  /**
   * Takes lines as they arrive until test returns something for one (partial is true for the
   * line still being received, which is not taken); undefined when timeoutMs passes first.
   */
  next<T>(test: (line: string, partial: boolean) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const check = () => {
        while (this.lines.length) {
          const v = test(this.lines.shift()!, false);
          if (v !== undefined) return finish(v);
        }
        const v = this.partial ? test(this.partial, true) : undefined;
        if (v !== undefined) return finish(v);
        if (this.closed) finish(undefined);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (v: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
    for (const w of [...this.waiters]) w();
  }

  private take(text: string): void {
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop()!;
    for (const p of parts) this.lines.push(p.endsWith("\r") ? p.slice(0, -1) : p);
    for (const w of [...this.waiters]) w();
  }
}
