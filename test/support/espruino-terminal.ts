/* A terminal on a virtual Espruino's TCP console (sim/flash/espruino-repl-server.ts), byte for byte. */
import { connect, type Socket } from "node:net";

export class EspruinoTerminal {
  /** Everything received, as characters 0-255. */
  received = "";
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (d) => (this.received += d.toString("latin1")));
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => {});
  }

  static open(port: number): Promise<EspruinoTerminal> {
    return new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(new EspruinoTerminal(s)));
      s.once("error", reject);
    });
  }

  /**
   * Sends bytes, then waits until what was received since contains `until` (a string) or matches
   * it (default: ends with a prompt); null: waits 200 ms, for input that should answer nothing.
   */
  async type(text: string, until: string | RegExp | null = />$/, timeoutMs = 5000): Promise<string> {
    const from = this.received.length;
    this.socket.write(Buffer.from(text, "latin1"));
    if (until === null) await new Promise((r) => setTimeout(r, 200));
    else await this.waitFor(until, from, timeoutMs);
    return this.received.slice(from);
  }

  async waitFor(what: string | RegExp, from = 0, timeoutMs = 5000): Promise<void> {
    await this.until(() => {
      const got = this.received.slice(from);
      return typeof what === "string" ? got.includes(what) : what.test(got);
    }, String(what), timeoutMs);
  }

  async until(test: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}; got ${JSON.stringify(this.received.slice(-500))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
