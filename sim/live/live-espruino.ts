import { performance } from "node:perf_hooks";
import { EspruinoBoard, type EspruinoBoardOptions } from "../espruino/espruino-board.ts";

export interface LiveEspruinoOptions extends Partial<Omit<EspruinoBoardOptions, "code">> {
  /** The JavaScript to boot: a built bundle, or a source bundle (mode "direct"). */
  code: string;
  /**
   * Virtual time per wall time, ≥ 1: 1 keeps the board's clock with the wall's, 20 runs twenty
   * virtual seconds a wall second. "max": as fast as the CPU goes, yielding to Node's event loop
   * every stepMs of virtual time so that socket events flow; a peer's latency then looks longer
   * on the board's clock, so keep timeouts in the firmware generous.
   */
  speed: number | "max";
  /** The most virtual time one step covers before Node's event loop runs again (default 10 ms). */
  stepMs?: number;
  /**
   * The virtual time the clock may not pass for now (Infinity: none): the host has something to
   * do at that instant (an admission server's command, sim/live/admission-server.ts). Steps at the
   * hold still run the network events that arrive.
   */
  holdUs?: () => number;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * A virtual Espruino run live: its clock advances with the wall's (times `speed`), and between
 * steps Node's event loop runs, so the board's sockets (sim/espruino/net-bridge.ts) talk to real
 * peers. Each step runs the board to the step's virtual time, then the network events that
 * arrived meanwhile (EspruinoBoard.runPosted), at that time.
 */
export class LiveEspruino {
  readonly board: EspruinoBoard;
  /** Everything the board printed, in order. */
  readonly lines: string[] = [];
  private readonly speed: number | "max";
  private readonly stepUs: number;
  private readonly holdUs: () => number;
  private wallStartMs = 0;
  private virtualStartUs = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = false;
  private failure: Error | undefined;
  private readonly waiters: Waiter[] = [];

  constructor(opts: LiveEspruinoOptions) {
    if (opts.speed !== "max" && !(typeof opts.speed === "number" && opts.speed >= 1 && Number.isFinite(opts.speed))) {
      throw new RangeError(`LiveEspruino: speed must be a number >= 1 or "max", got ${String(opts.speed)}`);
    }
    const stepMs = opts.stepMs ?? 10;
    if (!(stepMs > 0)) throw new RangeError(`LiveEspruino: stepMs must be > 0, got ${stepMs}`);
    this.speed = opts.speed;
    this.stepUs = Math.round(stepMs * 1000);
    this.holdUs = opts.holdUs ?? (() => Infinity);
    const onLine = opts.onLine;
    this.board = new EspruinoBoard({
      code: opts.code,
      filename: opts.filename ?? "live.js",
      mode: opts.mode ?? "direct",
      storage: opts.storage ?? new Map(),
      crypto: opts.crypto,
      extendGlobals: opts.extendGlobals,
      onRestart: opts.onRestart,
      onLine: (line) => {
        this.lines.push(line);
        onLine?.(line);
      },
    });
    this.board.onPost = this.wake;
  }

  /** Virtual µs since boot. */
  get nowUs(): number {
    return this.board.nowUs;
  }

  /** Boots the board (at its current virtual time) and starts stepping. */
  start(): this {
    if (this.running) throw new Error("LiveEspruino: already started");
    this.running = true;
    this.board.boot();
    this.board.runPosted();
    this.wallStartMs = performance.now();
    this.virtualStartUs = this.board.nowUs;
    this.schedule(false);
    return this;
  }

  /**
   * Resolves once test() holds after a step; rejects when wallTimeoutMs pass first (naming `what`
   * and the board's last lines), when the driver stops, or when stepping fails.
   */
  waitFor(test: () => boolean, what: string, wallTimeoutMs = 15000): Promise<void> {
    if (test()) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (!this.running) return Promise.reject(new Error(`LiveEspruino: waiting for ${what}, but the board is not running`));
    return new Promise((resolve, reject) => {
      const w: Waiter = { test, resolve, reject };
      const t = setTimeout(() => {
        this.forget(w);
        reject(new Error(`LiveEspruino: no ${what} within ${wallTimeoutMs} ms of wall time (virtual ${(this.nowUs / 1e6).toFixed(3)} s); last lines:\n${this.lines.slice(-15).join("\n")}`));
      }, wallTimeoutMs);
      w.resolve = () => (clearTimeout(t), resolve());
      w.reject = (e) => (clearTimeout(t), reject(e));
      this.waiters.push(w);
    });
  }

  /** Resolves with the index of the first line from `from` on that matches. */
  async waitForLine(match: string | RegExp, from = 0, wallTimeoutMs = 15000): Promise<number> {
    const find = () => this.lines.findIndex((l, i) => i >= from && (typeof match === "string" ? l === match : match.test(l)));
    await this.waitFor(() => find() >= 0, `line ${String(match)}`, wallTimeoutMs);
    return find();
  }

  /** Stops stepping and closes the board's sockets (without telling the firmware); resolves once they are closed. */
  async stop(): Promise<void> {
    this.halt(new Error("LiveEspruino: stopped"), false);
    await this.board.net.closeAll();
  }

  private step = (): void => {
    this.timer = undefined;
    this.waitingOnTimer = false;
    if (!this.running) return;
    let behind = false;
    try {
      const now = this.board.nowUs;
      let target = now + this.stepUs;
      if (this.speed !== "max") {
        const synced = this.virtualStartUs + Math.floor((performance.now() - this.wallStartMs) * 1000 * this.speed);
        behind = synced > target;
        target = Math.min(synced, target);
      }
      target = Math.min(target, this.holdUs());
      if (target > now) this.board.runUntil(target);
      this.board.runPosted();
      for (const w of [...this.waiters]) {
        if (w.test()) {
          this.forget(w);
          w.resolve();
        }
      }
    } catch (e) {
      this.halt(e instanceof Error ? e : new Error(String(e)), true);
      return;
    }
    this.schedule(behind);
  };

  /* A network event waits for no step timer: the step it needs runs at once (the clock still only goes as far as the wall allows). */
  private wake = (): void => {
    if (!this.running || this.speed === "max" || !this.waitingOnTimer) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    this.waitingOnTimer = false;
    this.timer = setImmediate(this.step);
  };

  private waitingOnTimer = false;

  private schedule(now: boolean): void {
    if (!this.running) return;
    // setImmediate lets Node's poll phase (the sockets) run first; a timer waits for wall time to pass.
    this.waitingOnTimer = !(this.speed === "max" || now);
    this.timer = this.speed === "max" || now ? setImmediate(this.step) : setTimeout(this.step, Math.max(1, this.stepUs / 1000 / this.speed));
  }

  private halt(e: Error, failed: boolean): void {
    if (failed) this.failure = e;
    this.running = false;
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  private forget(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }
}
