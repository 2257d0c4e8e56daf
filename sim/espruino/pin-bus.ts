/** A setWatch registration, as the emulated Espruino keeps it. */
interface Watch {
  id: number;
  pin: number;
  edge: "rising" | "falling" | "both";
  repeat: boolean;
  debounceUs: number;
  reported: number;
  /** A debounce in progress: the level the pin went to, when, and when it will have held long enough (-1: none). */
  pendingDueUs: number;
  pendingLevel: number;
  pendingEdgeUs: number;
  /** Whether the pending debounce is in the wake-up list (a level the watch will not report waits for the next edge instead). */
  waking: boolean;
  fn: (e: { state: boolean; time: number; lastTime: number }) => void;
  lastTimeS: number;
}

/**
 * A device that answers a whole transfer at once; undefined means "clock me bit by bit". The
 * answer is what MISO read, byte by byte (a plain array: cheaper to make than a Uint8Array a read).
 */
export interface Shifter {
  readonly dataPin: number;
  transfer(bytes: ArrayLike<number>): ArrayLike<number> | undefined;
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
  /**
   * Events waiting for the event loop: entries queueHead to queueEnd, oldest first. The entries
   * are kept and refilled, and the ends go back to 0 once it is empty: an event a conversion
   * would otherwise be an object made and a shift() on the hot path.
   */
  private readonly queue: WatchEvent[] = [];
  private queueHead = 0;
  private queueEnd = 0;
  /** Watches with a debounce in progress: few, so a list searched for the earliest beats a heap. */
  private readonly debouncing: Watch[] = [];

  constructor(private readonly nowUs: () => number) {}

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
    const w: Watch = { id: this.nextWatchId++, pin, edge, repeat, debounceUs: Math.round(debounceMs * 1000), reported: this.level(pin), pendingDueUs: -1, pendingLevel: 0, pendingEdgeUs: 0, waking: false, fn, lastTimeS: this.nowUs() / 1e6 };
    (this.watches[pin] ??= []).push(w);
    return w.id;
  }

  clearWatch(id?: number): void {
    for (let pin = 0; pin < this.watches.length; pin++) {
      const ws = this.watches[pin];
      if (ws === undefined) continue;
      this.watches[pin] = id === undefined ? [] : ws.filter((w) => w.id !== id);
    }
    for (let i = this.debouncing.length - 1; i >= 0; i--) {
      if (id === undefined || this.debouncing[i].id === id) {
        this.debouncing[i].waking = false;
        this.debouncing.splice(i, 1);
      }
    }
  }

  /** When the earliest debounce in progress will have held long enough, or Infinity. */
  nextDueUs(): number {
    let due = Infinity;
    for (const w of this.debouncing) if (w.pendingDueUs < due) due = w.pendingDueUs;
    return due;
  }

  /** Settles the debounces due by now, earliest first (then the order they started). */
  runDue(): void {
    const now = this.nowUs();
    const list = this.debouncing;
    for (;;) {
      let at = -1;
      for (let i = 0; i < list.length; i++) {
        if (list[i].pendingDueUs <= now && (at < 0 || list[i].pendingDueUs < list[at].pendingDueUs)) at = i;
      }
      if (at < 0) return;
      const w = list[at];
      // Removed keeping the others' order (ties settle in the order they started); pop, not splice, as this runs a conversion.
      for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1];
      list.pop();
      w.pendingDueUs = -1;
      w.waking = false;
      if (this.level(w.pin) === w.pendingLevel) this.fire(w, w.pendingLevel, w.pendingEdgeUs);
    }
  }

  /** Runs the queued watch callbacks, including any their own pin activity queues. */
  drain(run: (fn: (e: unknown) => void, e: unknown) => void): void {
    const queue = this.queue;
    while (this.queueHead < this.queueEnd) {
      const { watch, level, tUs } = queue[this.queueHead++];
      if (this.queueHead === this.queueEnd) {
        this.queueHead = 0;
        this.queueEnd = 0;
      }
      const timeS = tUs / 1e6;
      const e = { state: level !== 0, time: timeS, lastTime: watch.lastTimeS, pin: watch.pin };
      watch.lastTimeS = timeS;
      run(watch.fn as (e: unknown) => void, e);
    }
  }

  private edge(w: Watch, level: number): void {
    if (w.debounceUs <= 0) {
      this.fire(w, level, this.nowUs());
      return;
    }
    const edgeUs = this.nowUs();
    if (w.pendingDueUs >= 0 && edgeUs >= w.pendingDueUs) {
      // The level held for the whole debounce up to this very instant: it stands, as on Espruino,
      // which runs a timeout that is due (or overdue) before it takes the next edge.
      this.fire(w, w.pendingLevel, w.pendingEdgeUs);
    }
    w.pendingDueUs = edgeUs + w.debounceUs;
    w.pendingLevel = level;
    w.pendingEdgeUs = edgeUs;
    // A level the watch would not report (a falling-edge watch's pin going back high) needs no
    // wake-up: it only becomes the level the next edge starts from, settled above when that edge
    // comes. Skipping it saves the event loop a step a conversion, with the same callbacks.
    const heard = level !== w.reported && (w.edge === "both" || (w.edge === "falling") === (level === 0));
    if (heard && !w.waking) {
      w.waking = true;
      this.debouncing.push(w);
    } else if (!heard && w.waking) {
      w.waking = false;
      this.debouncing.splice(this.debouncing.indexOf(w), 1);
    }
  }

  private fire(w: Watch, level: number, tUs: number): void {
    if (level === w.reported) return;
    w.reported = level;
    if (w.edge === "rising" && level === 0) return;
    if (w.edge === "falling" && level !== 0) return;
    const slot = this.queue[this.queueEnd];
    if (slot === undefined) {
      this.queue.push({ watch: w, level, tUs });
    } else {
      slot.watch = w;
      slot.level = level;
      slot.tUs = tUs;
    }
    this.queueEnd++;
    if (!w.repeat) this.clearWatch(w.id);
  }
}
