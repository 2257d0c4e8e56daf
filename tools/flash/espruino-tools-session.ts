/*
 * EspruinoTools (npm `espruino`), the tool the Espruino Web IDE and CLI are built on, driven
 * in-process as its CLI drives it (bin/espruino-cli.js): init(), Serial.open (which asks the
 * board for process.env), CodeWriter.writeToEspruino, Utils.executeExpression, Serial.close.
 * EspruinoTools is one global with one connection, so sessions run one at a time.
 *
 * While a session is open, EspruinoTools' console chatter (it logs every chunk it sends) goes to
 * the session's log, never to the terminal (tools/flash/espruino-tools-global.ts); a write marked
 * secret mutes it altogether. The board's output is kept in `received`.
 */
import { captureEspruinoTools, espruinoTools, tcpPorts, type EspruinoToolsGlobal } from "./espruino-tools-global.ts";
import { tcpAddress } from "./espruino-tcp-device.ts";

let queue: Promise<unknown> = Promise.resolve();

export interface SessionOptions {
  /** EspruinoTools' log lines and anything else it prints, as they come; dropped unless given. */
  log?: (line: string) => void;
  /** Serial ports only (default 115200, the ESP32's and ESP8266's console). */
  baudRate?: number;
  connectTimeoutMs?: number;
}

export class EspruinoToolsSession {
  /** What the board sent, in order. */
  received = "";
  connected = false;
  private muted = false;
  private onGone: (() => void)[] = [];
  private onReceived: (() => void)[] = [];
  private syncs = 0;

  private constructor(private readonly E: EspruinoToolsGlobal, readonly port: string, private readonly opts: SessionOptions) {}

  /** Runs fn with an open session, after any other session has finished; closes it whatever happens. */
  static run<T>(port: string, opts: SessionOptions, fn: (s: EspruinoToolsSession) => Promise<T>): Promise<T> {
    const turn = queue.then(async () => {
      const E = await espruinoTools();
      const s = new EspruinoToolsSession(E, port, opts);
      const release = captureEspruinoTools(opts.log, () => s.muted);
      // EspruinoTools also shapes bundles in this process (tools/build/espruino-bundle.ts): it gets its settings and board back.
      const config = { ...E.Config };
      const env = E.Core.Env.getData();
      const envBefore = { ...env };
      try {
        return await fn(s);
      } finally {
        await s.close();
        release();
        Object.assign(E.Config, config);
        for (const k of Object.keys(env)) delete env[k];
        Object.assign(env, envBefore);
      }
    });
    queue = turn.catch(() => {});
    return turn;
  }

  /** The board's process.env, as EspruinoTools learnt it on connecting. */
  get env(): Record<string, unknown> {
    return this.E.Core.Env.getData();
  }

  /** The code EspruinoTools writes a Storage file with: base64 chunks of 384 bytes, each a Storage.write at its offset. */
  uploadCode(name: string, contents: string): string {
    return this.E.Core.Utils.getUploadFileCode(name, contents);
  }

  /** Connects (EspruinoTools then asks the board for process.env); rejects with the reason. */
  open(): Promise<void> {
    const E = this.E;
    const tcp = tcpAddress(this.port) !== undefined;
    if (tcp) tcpPorts.add(this.port);
    Object.assign(E.Config, {
      BLUETOOTH_LOW_ENERGY: false, BLUETOOTH_LOW_ENERGY_DBUS: false, ENV_ON_CONNECT: true, SAVE_ON_SEND: 0, SET_TIME_ON_WRITE: false,
      STORE_LINE_NUMBERS: false, BAUD_RATE: this.opts.baudRate ?? 115200, SERIAL_TCPIP: [],
      // Over TCP, TCP is the flow control; on a UART EspruinoTools waits after each Storage write.
      STORAGE_UPLOAD_METHOD: tcp ? 1 : 0,
    });
    E.Core.Serial.startListening((data) => {
      this.received += Buffer.from(data).toString("latin1");
      for (const f of [...this.onReceived]) f();
    });
    return new Promise((resolve, reject) => {
      const ms = this.opts.connectTimeoutMs ?? 20000;
      const timer = setTimeout(() => reject(new Error(`no answer from ${this.port} within ${ms} ms`)), ms);
      E.Core.Serial.open(this.port, (status) => {
        clearTimeout(timer);
        if (status === undefined) return reject(new Error(`could not connect to ${this.port}`));
        this.connected = true;
        resolve();
      }, () => this.lost());
    });
  }

  private lost(): void {
    this.connected = false;
    for (const f of this.onGone.splice(0)) f();
  }

  /** Rejects with why() if the connection goes before `work` settles. */
  private guarded<T>(work: (resolve: (v: T) => void, reject: (e: Error) => void) => void, why: () => string): Promise<T> {
    if (!this.connected) return Promise.reject(new Error(why()));
    return new Promise<T>((resolve, reject) => {
      const gone = () => reject(new Error(why()));
      this.onGone.push(gone);
      const settle = () => (this.onGone = this.onGone.filter((f) => f !== gone));
      work((v) => (settle(), resolve(v)), (e) => (settle(), reject(e)));
    });
  }

  /** Sends code without waiting for anything (E.reboot(), after which the board may not answer). */
  send(code: string): void {
    this.E.Config.RESET_BEFORE_SEND = false;
    this.E.Core.CodeWriter.writeToEspruino(code, () => {});
  }

  /**
   * Sends code as EspruinoTools uploads it (each root-level line with echo off, after a reset()
   * when asked), then a line that prints a token: resolves once the board has printed it, so once
   * it has run all the code. (EspruinoTools 0.1.67 calls a write's callback only when the write is
   * longer than one block, and then once it is written, not run.) onBytes is told the bytes
   * written so far; `secret` mutes all logging meanwhile.
   */
  async write(code: string, o: { reset?: boolean; secret?: boolean; onBytes?: (done: number, total: number) => void } = {}): Promise<void> {
    const E = this.E;
    E.Config.RESET_BEFORE_SEND = o.reset === true;
    const token = `aisle:written:${++this.syncs}`;
    const from = this.received.length;
    const timeoutMs = 30000 + code.length;
    let done = 0;
    let total = code.length;
    const status = E.Core.Status;
    const [setStatus, increment] = [status.setStatus, status.incrementProgress];
    status.setStatus = (_text, max) => {
      if (max !== undefined) total = max;
    };
    status.incrementProgress = (amount) => {
      done = Math.min(total, done + amount);
      o.onBytes?.(done, total);
    };
    this.muted = o.secret === true;
    try {
      await this.guarded<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.onReceived = this.onReceived.filter((f) => f !== seen);
          reject(new Error(`the board had not run it ${timeoutMs} ms later (${done} of ${total} bytes written)`));
        }, timeoutMs);
        const seen = () => {
          if (this.received.indexOf(token, from) < 0) return;
          clearTimeout(timer);
          this.onReceived = this.onReceived.filter((f) => f !== seen);
          resolve();
        };
        this.onReceived.push(seen);
        E.Core.CodeWriter.writeToEspruino(`${code}\nprint(${JSON.stringify(token)})\n`, () => {});
      }, () => `the connection closed after ${done} of ${total} bytes`);
      o.onBytes?.(total, total);
    } finally {
      this.muted = false;
      [status.setStatus, status.incrementProgress] = [setStatus, increment];
    }
  }

  /** The value of an expression on the board (JSON), or undefined when no answer came. */
  expression(expr: string): Promise<unknown> {
    return this.guarded<unknown>((resolve) => this.E.Core.Utils.executeExpression(expr, (result) => {
      if (result === undefined) return resolve(undefined);
      try {
        resolve(JSON.parse(result));
      } catch {
        resolve(undefined);
      }
    }), () => "the connection closed before the board answered");
  }

  /** Resolves once the connection has gone (or after timeoutMs): true if it went. */
  waitForClose(timeoutMs: number): Promise<boolean> {
    if (!this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.onGone.push(() => (clearTimeout(t), resolve(true)));
    });
  }

  /** Closes the connection, if open, and waits for it to go (at most a second). */
  async close(): Promise<void> {
    if (!this.connected) {
      // A connection still being attempted (a timed-out open) is given up.
      if (this.E.Core.Serial.isConnected()) this.E.Core.Serial.close();
      return;
    }
    const gone = this.waitForClose(1000);
    this.E.Core.Serial.close();
    await gone;
    this.connected = false;
  }
}
