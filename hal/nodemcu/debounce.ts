import type { Clock } from "../clock";
import { round } from "../../firmware/core/math";

/*
 * gpio.trig has no debounce, on either chip: a change counts once the pin has held its new level
 * for debounceMs, and is reported with the time of the edge that began it, in the order the
 * changes became due. The ESP8266's timers keep the ms; the ESP32's run on FreeRTOS ticks
 * (10 ms), so a timer there may come up to a tick early or late. The decisions are therefore
 * taken from the edges' times, not from when a timer happens to run: at each edge, any change
 * already due (on any input) is reported first; a timer that comes early waits again, and one
 * reports only what is due by its own time. With exact timers that is exactly the plain
 * one-timer-per-edge debounce; with a tick's timers, the same changes in the same order, a
 * little later. Times are compared in whole µs, the clocks' resolution, so that
 * no rounding of ms in a float decides which came first.
 */
const inputs: NodeMcuDebounce[] = [];
let armedCount = 0;

/* The waiting change due first, among those due before tUs (or at it, when inclusive) and ranked no later than (maxUs, maxSeq). */
function firstDue(tUs: number, inclusive: boolean, maxUs: number, maxSeq: number): NodeMcuDebounce | undefined {
  let best: NodeMcuDebounce | undefined = undefined;
  for (let i = 0; i < inputs.length; i++) {
    const d = inputs[i];
    if (!d.waiting || d.dueUs > tUs || (d.dueUs === tUs && !inclusive) || d.dueUs > maxUs || (d.dueUs === maxUs && d.seq > maxSeq)) {
      continue;
    }
    if (best === undefined || d.dueUs < best.dueUs || (d.dueUs === best.dueUs && d.seq < best.seq)) {
      best = d;
    }
  }
  return best;
}

export class NodeMcuDebounce {
  waiting = false;
  dueUs = 0;
  seq = 0;
  private settled: boolean;
  private level = false;
  private edgeMs = 0;
  private timer = -1;
  private onChange: ((level: boolean, tMs: number) => void) | undefined = undefined;

  constructor(private readonly pin: number, private readonly debounceMs: number, private readonly clock: Clock) {
    this.settled = gpio.read(pin) !== 0;
    inputs.push(this);
  }

  /** An edge at edgeMs (the pin's level is read now: an edge's own level may be stale on the ESP32). */
  edge(edgeMs: number, onChange: (level: boolean, tMs: number) => void): void {
    this.onChange = onChange;
    // A change due before this edge held its level to the end: report it (and any before it) first.
    // This pin's own level has just changed, so only the others are read.
    const edgeUs = round(edgeMs * 1000);
    let d = firstDue(edgeUs, false, edgeUs, 0);
    while (d !== undefined) {
      d.commit(d !== this);
      d = firstDue(edgeUs, false, edgeUs, 0);
    }
    if (this.timer >= 0) {
      this.clock.cancel(this.timer);
      this.timer = -1;
    }
    this.waiting = false;
    const high = gpio.read(this.pin) !== 0;
    if (high === this.settled) {
      return;
    }
    this.level = high;
    this.edgeMs = edgeMs;
    if (this.debounceMs <= 0) {
      this.settled = high;
      onChange(high, edgeMs);
      return;
    }
    this.waiting = true;
    this.dueUs = edgeUs + round(this.debounceMs * 1000);
    armedCount++;
    this.seq = armedCount;
    this.timer = this.clock.after(this.debounceMs, (): void => {
      this.timer = -1;
      this.reportDue();
    });
  }

  /* This change's timer ran: report every change due up to and including this one, in order. */
  private reportDue(): void {
    const nowUs = round(this.clock.nowMs() * 1000);
    if (nowUs < this.dueUs) {
      // A FreeRTOS timer counts from the tick it was started in, so it may come up to a tick early.
      this.timer = this.clock.after((this.dueUs - nowUs) / 1000, (): void => {
        this.timer = -1;
        this.reportDue();
      });
      return;
    }
    let d = firstDue(this.dueUs, true, this.dueUs, this.seq);
    while (d !== undefined) {
      d.commit(true);
      d = firstDue(this.dueUs, true, this.dueUs, this.seq);
    }
  }

  /** Reports the waiting change; a timer's report checks that the pin still holds the level. */
  commit(check: boolean): void {
    this.waiting = false;
    if (this.timer >= 0) {
      this.clock.cancel(this.timer);
      this.timer = -1;
    }
    const cb = this.onChange;
    if (cb === undefined || (check && (gpio.read(this.pin) !== 0) !== this.level)) {
      return;
    }
    this.settled = this.level;
    cb(this.level, this.edgeMs);
  }
}
