import vm from "node:vm";
import { TimerQueue } from "../timer-queue.ts";
import { detokenise, isPretokenised } from "./detokenise.ts";
import { espruinoGlobals } from "./espruino-api.ts";
import type { EspruinoCryptoBuild } from "./espruino-crypto.ts";
import { JsVarMeter, type ProcessMemory } from "./jsvar-meter.ts";
import { startInterpreter } from "./start-interpreter.ts";
import { NetBridge } from "./net-bridge.ts";
import { PinBus } from "./pin-bus.ts";

export interface EspruinoBoardOptions {
  /** The JavaScript to run: the built bundle, byte for byte. */
  code: string;
  filename: string;
  /**
   * "vm": a Node vm context, as the espruino runner does; "direct": a plain function, as the source
   * runner does; "context": one vm context an interpreter's life (until it restarts) whose global
   * object is Espruino's root scope, so that the names code declares at its top level are what a
   * line typed at the console (evaluate) sees, as on Espruino (the flashing REPL, sim/flash/).
   */
  mode: "vm" | "direct" | "context";
  storage: Map<string, string>;
  onLine: (line: string) => void;
  /** What the firmware's crypto module has; "sha256" (the ESP32's) unless given. */
  crypto?: EspruinoCryptoBuild;
  /** Adds to the globals of each new interpreter what the firmware never uses (the REPL's reset(), E.reboot(), ...). */
  extendGlobals?: (globals: Record<string, unknown>) => void;
  /** Told as the interpreter restarts, before any code runs from Storage. */
  onRestart?: (kind: RestartKind, file: string | undefined) => void;
}

/**
 * How the interpreter restarts (Espruino 2v29, jsinteractive.c and jsflash.c): "load" is load(),
 * "reset" is reset() (.bootcde is not run, .bootrst is), "power" a power cycle or E.reboot().
 * load(file) runs that file after reset()'s boot code.
 */
export type RestartKind = "load" | "reset" | "power";

/** Something outside the board that acts at times of its own (an HX711, a trace of beams). */
export interface ExternalDevice {
  nextUs(): number;
  fire(): void;
}

/**
 * A virtual Espruino: the emulated API on a virtual µs clock that jumps from event to event.
 * Order at one instant: devices first (in the order they were added), then the watch callbacks
 * they caused, then timers (by arming order). The NodeMCU board follows the same order.
 */
export class EspruinoBoard {
  readonly timers = new TimerQueue();
  readonly pins: PinBus;
  private now = 0;
  private readonly devices: ExternalDevice[] = [];
  private restartKind: RestartKind | undefined;
  private restartFile: string | undefined;
  private context: vm.Context | undefined;
  readonly errors: string[] = [];
  jsvars: JsVarMeter | undefined;
  /** The REPL's root scope, where a line typed on the console runs (typeLine). */
  private repl: object = {};
  /** Callbacks from outside the virtual clock, waiting for runPosted(). */
  private readonly posted: (() => void)[] = [];
  /** require("net"), on Node's real sockets; their events come in through post(). */
  readonly net = new NetBridge((fn) => this.post(fn));

  constructor(private readonly opts: EspruinoBoardOptions) {
    this.pins = new PinBus(() => this.now);
  }

  get nowUs(): number {
    return this.now;
  }

  /** Counts JsVars as Espruino does, for memory() and process.memory(); call before boot(), as it instruments the code (vm mode). */
  countJsVars(total: number): void {
    if (this.opts.mode !== "vm") throw new Error("counting JsVars needs the vm mode");
    this.jsvars = new JsVarMeter(total, this.opts.storage);
  }

  /** process.memory() as Espruino would report it now. */
  memory(): ProcessMemory {
    if (this.jsvars === undefined) throw new Error("memory(): call countJsVars() before boot()");
    return this.jsvars.memory();
  }

  addDevice(d: ExternalDevice): void {
    this.devices.push(d);
  }

  /**
   * Runs the code at t = 0, as Espruino runs uploaded code. If it calls load(), the board then
   * resets, as Espruino does: timers and watches go, and .bootcde runs from Storage in a fresh
   * interpreter (the devices stay wired).
   */
  boot(): void {
    this.run(this.opts.code, this.opts.filename);
    for (let resets = 0; this.restartKind !== undefined && resets < 3; resets++) this.reset();
  }

  /** Asks for a restart once the current code has returned, as load(), reset() and E.reboot() do on Espruino. */
  requestRestart(kind: RestartKind, file?: string): void {
    this.restartKind = kind;
    this.restartFile = file;
  }

  get restartPending(): boolean {
    return this.restartKind !== undefined;
  }

  /**
   * A restart was asked for: as Espruino does once the current code returns, timers and watches
   * go, sockets close, and a fresh interpreter runs the boot code in Storage (jsfLoadBootCodeFromFlash):
   * .boot0 to .boot3, then .bootrst if there is one, else .bootcde unless it is a reset(); then
   * load(file)'s file. The devices stay wired. A reboot command does this at any time, not just at boot.
   */
  private reset(): void {
    const kind = this.restartKind ?? "load";
    const file = this.restartFile;
    this.restartKind = undefined;
    this.restartFile = undefined;
    this.timers.clear();
    this.pins.clearWatch();
    // Espruino closes every socket on a reset; events still on their way belong to the old code.
    this.posted.length = 0;
    void this.net.closeAll();
    this.context = undefined;
    this.opts.onRestart?.(kind, file);
    const storage = this.opts.storage;
    const isReset = kind === "reset" || file !== undefined;
    const main = storage.has(".bootrst") ? ".bootrst" : !isReset && storage.has(".bootcde") ? ".bootcde" : undefined;
    const files = [".boot0", ".boot1", ".boot2", ".boot3"].filter((n) => storage.has(n));
    if (main !== undefined) files.push(main);
    if (file !== undefined) files.push(file);
    if (kind === "load" && file === undefined && main === undefined) this.errors.push("load(): there is no .bootcde in Storage");
    // In context mode the fresh interpreter exists even when Storage holds nothing to run.
    if (this.opts.mode === "context") this.run("", "root");
    for (const f of files) {
      // load() of a file Storage lacks runs nothing, silently, as on Espruino.
      const code = storage.get(f);
      if (code !== undefined) this.run(code, f);
    }
  }

  /** A line typed at the console, run in the root scope as Espruino's REPL runs it; it throws what the line throws. Context mode only. */
  evaluate(code: string, filename = "REPL"): unknown {
    if (this.context === undefined) throw new Error("evaluate(): the board runs in context mode, and has booted");
    return vm.runInContext(code, this.context, { filename });
  }

  private run(stored: string, filename: string): void {
    let code = stored;
    try {
      code = isPretokenised(stored) ? detokenise(stored) : stored;
    } catch (e) {
      this.errors.push(`${filename}: ${(e as Error).message}`);
      return;
    }
    if (this.opts.mode === "context" && this.context !== undefined) {
      const context = this.context;
      this.guard(() => vm.runInContext(code, context, { filename }));
      this.pins.drain(this.callback);
      return;
    }
    const globals = espruinoGlobals({
      timers: this.timers, pins: this.pins, nowUs: () => this.now, storage: this.opts.storage, print: this.opts.onLine,
      load: () => this.requestRestart("load"), crypto: this.opts.crypto, net: this.net,
    });
    this.opts.extendGlobals?.(globals);
    this.repl = globals.global as object;
    this.guard(() => {
      const interpreter = startInterpreter(code, filename, this.opts.mode, globals, this.jsvars);
      this.context = interpreter.context;
      this.repl = interpreter.repl ?? this.repl;
      interpreter.run();
    });
    this.pins.drain(this.callback);
  }

  /**
   * Queues a callback from outside the virtual clock (a socket's event, which Node delivers while
   * the board is idle) to run at the board's current time when runPosted() next runs.
   */
  post(fn: () => void): void {
    this.posted.push(fn);
    this.onPost?.();
  }

  /** Told whenever something is posted, so a live driver can run it now rather than at its next step. */
  onPost: (() => void) | undefined;

  /** Runs the posted callbacks in order, each as Espruino runs one (guarded, its watch callbacks after it). */
  runPosted(): number {
    const posted = this.posted;
    let i = 0;
    for (; i < posted.length; i++) {
      this.guard(posted[i]);
      this.pins.drain(this.callback);
      if (this.restartKind !== undefined) {
        this.reset();
        return i + 1;
      }
    }
    posted.length = 0;
    return i;
  }

  /** Advances virtual time to endUs, running everything due on the way. */
  runUntil(endUs: number): void {
    const devices = this.devices;
    const pins = this.pins;
    for (;;) {
      let dev: ExternalDevice | undefined;
      let devUs = Infinity;
      for (const d of devices) {
        const t = d.nextUs();
        if (t < devUs) {
          devUs = t;
          dev = d;
        }
      }
      const watchUs = pins.nextDueUs();
      const timerUs = this.timers.peekDueUs();
      const t = Math.min(devUs, watchUs, timerUs);
      if (t > endUs || t === Infinity) break;
      this.now = t;
      if (devUs === t) {
        dev!.fire();
      } else if (watchUs === t) {
        pins.runDue();
      } else {
        const timer = this.timers.pop()!;
        if (timer.periodUs > 0) this.timers.rearm(timer);
        this.guard(timer.fn);
      }
      pins.drain(this.callback);
      if (this.restartKind !== undefined) this.reset();
    }
    this.now = Math.max(this.now, endUs);
  }

  /** A watch callback with its event, run as Espruino runs one: an exception is printed, the loop goes on. */
  private readonly callback = (fn: (e: unknown) => void, e: unknown): void => {
    try {
      fn(e);
    } catch (err) {
      this.uncaught(err);
    }
  };

  /**
   * A line typed on the serial console, run as Espruino's REPL runs it: in the root scope, where
   * the code's `global.NAME = ...` put its functions; an exception is printed. Called as a device
   * fires (runUntil then runs the watch callbacks it caused).
   */
  typeLine(line: string): void {
    this.guard(() => new Function("scope", `with (scope) { ${line}\n}`)(this.repl));
  }

  /** Like Espruino, an exception in a callback is printed and the event loop goes on. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.uncaught(e);
    }
  }

  private uncaught(e: unknown): void {
    const msg = `Uncaught ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    this.errors.push(msg);
    this.opts.onLine(msg);
  }
}
