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
 *
 * An input's state is one array (slots Db), not a class instance: on NodeMCU an instance of
 * eleven fields is a hash of 16 slots (480 bytes of Lua heap), the array 11 slots (164).
 */
export const enum Db {
  PIN = 0,
  DEBOUNCE_MS = 1,
  /** 1 while a change waits for its timer, else 0. */
  WAITING = 2,
  DUE_US = 3,
  SEQ = 4,
  /** The level last reported (1 high, 0 low), and the level of the change waiting. */
  SETTLED = 5,
  LEVEL = 6,
  EDGE_MS = 7,
  /** The waiting change's timer, -1 for none. */
  TIMER = 8,
  CLOCK = 9,
  ON_CHANGE = 10,
}

type OnChange = (level: boolean, tMs: number) => void;
export type Debounced = [number, number, number, number, number, number, number, number, number, Clock, OnChange];

const inputs: Debounced[] = [];
let armedCount = 0;

/* Until an input is watched, its changes go nowhere (none come: gpio.trig is set by watch). */
function unwatched(): void {}

/* The waiting change due first, among those due before tUs (or at it, when inclusive) and ranked no later than (maxUs, maxSeq). */
function firstDue(tUs: number, inclusive: boolean, maxUs: number, maxSeq: number): Debounced | undefined {
  let best: Debounced | undefined = undefined;
  for (let i = 0; i < inputs.length; i++) {
    const d = inputs[i];
    const due = d[Db.DUE_US];
    if (d[Db.WAITING] === 0 || due > tUs || (due === tUs && !inclusive) || due > maxUs || (due === maxUs && d[Db.SEQ] > maxSeq)) {
      continue;
    }
    if (best === undefined || due < best[Db.DUE_US] || (due === best[Db.DUE_US] && d[Db.SEQ] < best[Db.SEQ])) {
      best = d;
    }
  }
  return best;
}

function cancelWait(d: Debounced): void {
  d[Db.WAITING] = 0;
  if (d[Db.TIMER] >= 0) {
    d[Db.CLOCK].cancel(d[Db.TIMER]);
    d[Db.TIMER] = -1;
  }
}

/** Reports the waiting change; a timer's report checks that the pin still holds the level. */
function commit(d: Debounced, check: boolean): void {
  cancelWait(d);
  const level = d[Db.LEVEL];
  if (check && (gpio.read(d[Db.PIN]) !== 0 ? 1 : 0) !== level) {
    return;
  }
  d[Db.SETTLED] = level;
  d[Db.ON_CHANGE](level === 1, d[Db.EDGE_MS]);
}

/* d's timer ran: report every change due up to and including d's, in order. */
function reportDue(d: Debounced): void {
  d[Db.TIMER] = -1;
  const dueUs = d[Db.DUE_US];
  const nowUs = round(d[Db.CLOCK].nowMs() * 1000);
  if (nowUs < dueUs) {
    // A FreeRTOS timer counts from the tick it was started in, so it may come up to a tick early.
    d[Db.TIMER] = d[Db.CLOCK].after((dueUs - nowUs) / 1000, (): void => reportDue(d));
    return;
  }
  let next = firstDue(dueUs, true, dueUs, d[Db.SEQ]);
  while (next !== undefined) {
    commit(next, true);
    next = firstDue(dueUs, true, dueUs, d[Db.SEQ]);
  }
}

/** A pin's debounce, its level now taken as settled. */
function debounced(pin: number, debounceMs: number, clock: Clock): Debounced {
  const d: Debounced = [pin, debounceMs, 0, 0, 0, gpio.read(pin) !== 0 ? 1 : 0, 0, 0, -1, clock, unwatched];
  inputs.push(d);
  return d;
}

/** An edge on d's pin at edgeMs (the pin's level is read now: an edge's own level may be stale on the ESP32). */
function debounceEdge(d: Debounced, edgeMs: number): void {
  // A change due before this edge held its level to the end: report it (and any before it) first.
  // This pin's own level has just changed, so only the others are read.
  const edgeUs = round(edgeMs * 1000);
  let next = firstDue(edgeUs, false, edgeUs, 0);
  while (next !== undefined) {
    commit(next, next !== d);
    next = firstDue(edgeUs, false, edgeUs, 0);
  }
  cancelWait(d);
  const high = gpio.read(d[Db.PIN]) !== 0 ? 1 : 0;
  if (high === d[Db.SETTLED]) {
    return;
  }
  d[Db.LEVEL] = high;
  d[Db.EDGE_MS] = edgeMs;
  const debounceMs = d[Db.DEBOUNCE_MS];
  if (debounceMs <= 0) {
    d[Db.SETTLED] = high;
    d[Db.ON_CHANGE](high === 1, edgeMs);
    return;
  }
  d[Db.WAITING] = 1;
  d[Db.DUE_US] = edgeUs + round(debounceMs * 1000);
  armedCount++;
  d[Db.SEQ] = armedCount;
  d[Db.TIMER] = d[Db.CLOCK].after(debounceMs, (): void => reportDue(d));
}

export { debounced, debounceEdge };
