import type { TimerQueue } from "../timer-queue.ts";

/** A setWatch registration, as the emulated Espruino keeps it. */
interface Watch {
  id: number;
  pin: number;
  edge: "rising" | "falling" | "both";
  repeat: boolean;
  debounceUs: number;
  reported: number;
  pendingCheck: { cancelled: boolean; dueUs: number; level: number; edgeUs: number } | undefined;
  fn: (e: { state: boolean; time: number; lastTime: number }) => void;
  lastTimeS: number;
}

/** A device that answers a whole transfer at once; undefined means "clock me bit by bit". */
export interface Shifter {
  readonly dataPin: number;
  transfer(bytes: ArrayLike<number>): Uint8Array | undefined;
}

export interface WatchEvent {
  watch: Watch;
  level: number;
  tUs: number;
}

/**
 * The board's pins: levels, who drives them, and the watches on them. Like Espruino, a watch
 * only queues its event when the edge happens; callbacks run later from the event loop, in order.
 * With a debounce, the level must hold for that long, and the event carries the first edge's time.
 */
export class PinBus {
  private readonly levels: number[] = [];
  private readonly writeHooks: (((level: number) => void) | undefined)[] = [];
  private readonly shifters: (Shifter | undefined)[] = [];
  private readonly watches: Watch[][] = [];
  private nextWatchId = 1;
  readonly queue: WatchEvent[] = [];

  constructor(private readonly timers: TimerQueue, private readonly nowUs: () => number) {}

  level(pin: number): number {
    return this.levels[pin] ?? 0;
  }

  /** A device (HX711, beam, door) drives an input pin. */
  drive(pin: number, level: number): void {
    if ((this.levels[pin] ?? 0) === level) return;
    this.levels[pin] = level;
    const ws = this.watches[pin];
    if (ws !== undefined) for (const w of ws) this.edge(w, level);
  }

  /** The firmware writes an output pin; a device listening on it (an HX711's PD_SCK) reacts. */
  write(pin: number, level: number): void {
    this.levels[pin] = level;
    this.writeHooks[pin]?.(level);
  }

  listen(pin: number, hook: (level: number) => void): void {
    this.writeHooks[pin] = hook;
  }

  /** A device that can take a whole software-SPI transfer whose MOSI is `pin` (see Shifter). */
  attachShifter(pin: number, shifter: Shifter): void {
    this.shifters[pin] = shifter;
  }

  /**
   * The shifter for a transfer on mosi/miso, if it may stand in for the bits: only where every
   * watch on MISO is debounced, since a shifter drives MISO straight to its final level, and the
   * edges a debounced watch would have seen in between last no time.
   */
  shifterFor(mosi: number, miso: number): Shifter | undefined {
    const s = this.shifters[mosi];
    if (s === undefined || s.dataPin !== miso) return undefined;
    const ws = this.watches[miso];
    if (ws !== undefined) for (const w of ws) if (w.debounceUs <= 0) return undefined;
    return s;
  }

  addWatch(pin: number, fn: Watch["fn"], edge: Watch["edge"], repeat: boolean, debounceMs: number): number {
    const w: Watch = { id: this.nextWatchId++, pin, edge, repeat, debounceUs: Math.round(debounceMs * 1000), reported: this.level(pin), pendingCheck: undefined, fn, lastTimeS: this.nowUs() / 1e6 };
    (this.watches[pin] ??= []).push(w);
    return w.id;
  }

  clearWatch(id?: number): void {
    for (let pin = 0; pin < this.watches.length; pin++) {
      const ws = this.watches[pin];
      if (ws === undefined) continue;
      this.watches[pin] = id === undefined ? [] : ws.filter((w) => w.id !== id);
    }
  }

  /** Runs the queued watch callbacks, including any their own pin activity queues. */
  drain(run: (fn: () => void) => void): void {
    while (this.queue.length) {
      const { watch, level, tUs } = this.queue.shift()!;
      const timeS = tUs / 1e6;
      const e = { state: level !== 0, time: timeS, lastTime: watch.lastTimeS, pin: watch.pin };
      watch.lastTimeS = timeS;
      run(() => watch.fn(e));
    }
  }

  private edge(w: Watch, level: number): void {
    if (w.debounceUs <= 0) {
      this.fire(w, level, this.nowUs());
      return;
    }
    const edgeUs = this.nowUs();
    const pending = w.pendingCheck;
    if (pending) {
      pending.cancelled = true;
      // The level held for the whole debounce up to this very instant: it stands, as on Espruino,
      // which runs a timeout that is due (or overdue) before it takes the next edge.
      if (edgeUs >= pending.dueUs) this.fire(w, pending.level, pending.edgeUs);
    }
    const check = { cancelled: false, dueUs: edgeUs + w.debounceUs, level, edgeUs };
    this.timers.add(check.dueUs, 0, -1, () => {
      if (check.cancelled) return;
      w.pendingCheck = undefined;
      if (this.level(w.pin) === level) this.fire(w, level, edgeUs);
    });
    w.pendingCheck = check;
  }

  private fire(w: Watch, level: number, tUs: number): void {
    if (level === w.reported) return;
    w.reported = level;
    if (w.edge === "rising" && level === 0) return;
    if (w.edge === "falling" && level !== 0) return;
    this.queue.push({ watch: w, level, tUs });
    if (!w.repeat) this.clearWatch(w.id);
  }
}
