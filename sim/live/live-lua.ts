import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { LuaInterpreter } from "../nodemcu/lua-board.ts";
import { LuaRestart } from "./lua-restart.ts";
import { MqttBridge, parseMqttLine } from "./mqtt-bridge.ts";

const VBOARD = join(dirname(fileURLToPath(import.meta.url)), "..", "nodemcu", "vboard.lua");

export interface LiveLuaOptions {
  /** lua5.1, lua5.3, luajit, or the path of one. */
  interpreter: LuaInterpreter;
  mcu: "esp8266" | "esp32";
  /** The heap the firmware leaves Lua (the board file's memory.lua_heap_bytes). */
  heapBytes: number;
  /** The flash file system: strings go in as UTF-8, Buffers as they are. */
  files: Record<string, string | Buffer>;
  /** Boot runs init from the file system; app is the bundle it loads. */
  init: string;
  app: string;
  /** Commands between the files and boot (H, L, R, O lines: sim/nodemcu/vboard.lua). */
  setup?: string[];
  /** Virtual µs per wall µs (default 1). Infinity: as fast as the board goes, yielding to Node's event loop at each step. */
  speed?: number;
  /** The step of virtual time when speed is Infinity (default 10 ms). */
  stepUs?: number;
  /** Where every mqtt connection goes; by default the host and port the firmware dials. */
  brokerUrl?: string;
  /** Each line the board prints but "~t" and "~fs": the firmware's, and the board's own ("~mqtt …", "~heap …", "~restart t_us"). */
  onLine?: (line: string) => void;
  /**
   * Stimuli in time order, [t_us, command] ("C t_us cell counts", "P t_us pin level"): each is
   * sent just before the first step that reaches its time, so a trace plays in step with the clock.
   */
  stimuli?: Iterator<[number, string]>;
  /** The virtual time the clock may not pass for now (Infinity: none), as LiveEspruino's holdUs. */
  holdUs?: () => number;
}

export interface LiveExit {
  code: number | null;
  /** What the board reported before stopping on an error ("~panic"). */
  panic: string | undefined;
  /** The host's own failure: a malformed "~mqtt" line, a connection the board never opened. */
  error: string | undefined;
  stderr: string;
}

/**
 * A virtual NodeMCU board run live: vboard.lua under a real Lua, its virtual clock driven in step
 * with wall time (× speed), its mqtt clients bridged to a real broker (mqtt-bridge.ts). Network
 * events reach the board stamped with the last time sent to it, so they land in order with its
 * timers. One "T" is in flight at a time: a board slower than the wall falls behind rather than
 * being flooded. node.restart() resets it as it does a real one: a new Lua process on the files the
 * old one left, its connections dropped without DISCONNECT, on the same timeline (lua-restart.ts).
 */
export class LiveLuaBoard {
  readonly bridge: MqttBridge;
  /** Every line the board printed but "~t" and "~fs", in order, and the network events sent to it as "> N t_us conn event". */
  readonly lines: string[] = [];
  /** Resolves when the board stops for good (a restart is not a stop). */
  readonly exited: Promise<LiveExit>;
  private resolveExit: (exit: LiveExit) => void = () => {};
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly restart = new LuaRestart();
  private bootCount = 0;
  private sentUs = 0;
  private boardUs = 0;
  private stepping = false;
  private stopped = false;
  private wall0: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private panic: string | undefined;
  private error: string | undefined;
  private stderr = "";
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly opts: LiveLuaOptions) {
    this.bridge = new MqttBridge((event) => {
      const cmd = `N ${this.sentUs} ${event}`;
      this.write(cmd);
      this.lines.push("> " + cmd);
      for (const w of this.waiters) w();
    }, opts.brokerUrl);
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Spawns the board, loads its files and boots it, then starts its clock. */
  static async start(opts: LiveLuaOptions): Promise<LiveLuaBoard> {
    const board = new LiveLuaBoard(opts);
    const hex = (v: string | Buffer) => (typeof v === "string" ? Buffer.from(v, "utf8") : v).toString("hex");
    await board.boot(Object.entries(opts.files).map(([name, data]) => `F ${name} ${hex(data)}`), [], []);
    return board;
  }

  /** The board's virtual time, as it last reported it. */
  get nowUs(): number {
    return this.boardUs;
  }

  /** How many times the board has booted: 1, and one more at each restart. */
  get boots(): number {
    return this.bootCount;
  }

  /** Writes a command to the board as it is (tests; stimuli such as "P t_us pin level"). */
  send(command: string): void {
    this.write(command);
  }

  /** The first line from index `from` on that passes the test; rejects if the board stops first or the wall time runs out. */
  waitFor(test: RegExp | ((line: string) => boolean), timeoutMs = 10000, from = 0): Promise<string> {
    const pass = typeof test === "function" ? test : (l: string) => test.test(l);
    let next = from;
    const probe = (): string | undefined => {
      for (; next < this.lines.length; next++) if (pass(this.lines[next])) return this.lines[next];
      return undefined;
    };
    return this.until(probe, `a line matching ${test}`, timeoutMs);
  }

  /** Resolves once the board's clock has reached tUs. */
  waitUntilUs(tUs: number, timeoutMs = 10000): Promise<number> {
    return this.until(() => (this.boardUs >= tUs ? this.boardUs : undefined), `virtual time ${tUs} us`, timeoutMs);
  }

  /** Stops cleanly: every connection ends with DISCONNECT (no wills), then the board, killed if it lingers. */
  async stop(): Promise<LiveExit> {
    this.halt();
    await this.bridge.endAll(true);
    this.child?.stdin.end();
    const killer = setTimeout(() => this.child?.kill("SIGKILL"), 2000);
    const exit = await this.exited;
    clearTimeout(killer);
    return exit;
  }

  /** The board loses power: killed at once, its sockets dropped without DISCONNECT, so the broker publishes its wills. */
  async powerCut(): Promise<LiveExit> {
    this.halt();
    this.child?.kill("SIGKILL");
    await this.bridge.endAll(false);
    return this.exited;
  }

  private halt(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters) w();
  }

  private write(cmd: string): void {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && !child.stdin.destroyed) child.stdin.write(cmd + "\n");
  }

  /**
   * Spawns a board and boots it: files (or the restart's head), the host's setup, the levels and
   * stimuli a restart carries, then boot and a step to where the host's clock has been sent (the
   * board answers it once boot is over: compiling a bundle takes the wall a while).
   */
  private async boot(head: string[], levels: string[], resend: [number, string][]): Promise<void> {
    const opts = this.opts;
    const child = spawn(opts.interpreter, [VBOARD], { stdio: ["pipe", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? new Error(`${opts.interpreter} is not installed`) : e));
    });
    this.child = child;
    this.bootCount++;
    child.stderr.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    child.stdin.on("error", () => {});
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => this.onLine(line));
    child.once("close", (code) => void this.closed(code));
    if (this.stopped) child.kill("SIGKILL");
    this.write(`M ${opts.mcu} ${opts.heapBytes}`);
    this.write("O dump-on-restart");
    for (const cmd of head) this.write(cmd);
    for (const cmd of opts.setup ?? []) this.write(cmd);
    for (const cmd of levels) this.write(cmd);
    this.write(`B ${opts.init} ${opts.app}`);
    for (const s of resend) {
      this.write(s[1]);
      this.restart.sent(s);
    }
    this.stepping = true;
    this.write(`T ${this.sentUs}`);
  }

  /** The board process ended: a restart boots the next one; anything else is the end. */
  private async closed(code: number | null): Promise<void> {
    if (code === 4 && this.restart.restarting && !this.stopped) {
      const next = this.restart.next();
      await this.bridge.restart();
      if (!this.stopped) {
        try {
          return await this.boot(next.head, next.levels, next.resend);
        } catch (e) {
          this.error = `the board could not boot again: ${(e as Error).message}`;
        }
      }
    }
    this.halt();
    // A board that stopped by itself went as a power cut would: no DISCONNECT.
    await this.bridge.endAll(false);
    this.resolveExit({ code, panic: this.panic, error: this.error, stderr: this.stderr });
  }

  /** Sends the next "T": to where the wall clock says (× speed), or one step on when running flat out. */
  private step(): void {
    this.timer = undefined;
    if (this.stopped || this.stepping) return;
    const speed = this.opts.speed ?? 1;
    const target = Math.min(this.opts.holdUs?.() ?? Infinity,
      speed === Infinity ? this.sentUs + (this.opts.stepUs ?? 10000) : Math.floor((performance.now() - (this.wall0 ?? 0)) * 1000 * speed));
    if (target <= this.sentUs) {
      this.timer = setTimeout(() => this.step(), 2);
      return;
    }
    this.stepping = true;
    this.sentUs = target;
    this.sendStimuliUpTo(target);
    this.write(`T ${target}`);
  }

  private pending: [number, string] | undefined;

  private sendStimuliUpTo(tUs: number): void {
    const it = this.opts.stimuli;
    if (it === undefined) return;
    for (;;) {
      if (this.pending === undefined) {
        const n = it.next();
        if (n.done) return;
        this.pending = n.value;
      }
      if (this.pending[0] > tUs) return;
      this.write(this.pending[1]);
      this.restart.sent(this.pending);
      this.pending = undefined;
    }
  }

  private onLine(line: string): void {
    if (line.startsWith("~t ")) {
      this.boardUs = Number(line.slice(3));
      this.restart.stepDone();
      this.stepping = false;
      if (this.wall0 === undefined) this.wall0 = performance.now();
      if (!this.stopped) {
        if ((this.opts.speed ?? 1) === Infinity) setImmediate(() => this.step());
        else this.timer = setTimeout(() => this.step(), 2);
      }
    } else {
      let reset: "fs" | "restart" | undefined;
      try {
        reset = this.restart.take(line);
      } catch (e) {
        this.fail(e as Error);
      }
      if (reset === "fs") return;
      // No step until the next board is up (closed() sends it its first).
      if (reset === "restart") this.stepping = true;
      if (line.startsWith("~panic ")) this.panic = line.slice(7);
      if (line.startsWith("~mqtt ") && !this.stopped) {
        try {
          this.bridge.handle(parseMqttLine(line));
        } catch (e) {
          this.fail(e as Error);
        }
      }
      this.lines.push(line);
      this.opts.onLine?.(line);
    }
    for (const w of this.waiters) w();
  }

  /** The host's own failure (a malformed line from the board): the board goes. */
  private fail(e: Error): void {
    this.error = e.message;
    this.halt();
    this.child?.kill("SIGKILL");
  }

  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => finish(new Error(`waited ${timeoutMs} ms for ${what}; the board is at ${this.boardUs} us`)), timeoutMs);
      const check = () => {
        const v = probe();
        if (v !== undefined) finish(undefined, v);
        else if (this.stopped) finish(new Error(`the board stopped before ${what}${this.panic ? `: ${this.panic}` : ""}${this.error ? `: ${this.error}` : ""}`));
      };
      const finish = (err: Error | undefined, v?: T) => {
        clearTimeout(deadline);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(v as T);
      };
      this.waiters.add(check);
      check();
    });
  }
}
