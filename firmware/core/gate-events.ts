/*
 * What a gate lane reports and how it is tuned (docs/gate.md has each event's meaning and the
 * instant its t_ms names).
 */

export const ENTRY = "entry";
export const EXIT = "exit";
export const TAILGATE = "tailgate";
export const WRONG_WAY = "wrong_way";
export const FORCED = "forced";
export const HELD_OPEN = "held_open";
export const LOCK_FAULT = "lock_fault";
export const EMERGENCY_EVENT = "emergency";

/** The kinds of event a lane counts (show's counts), in this order: gateKind() and gateKindName(). */
export const GATE_KINDS = 8;

/* gateKindName and gateKind are exported at the end: called here too, they would otherwise be reached through the module's export table (docs/lua-heap.md). */
function gateKindName(k: number): string {
  return k === 0 ? ENTRY : k === 1 ? EXIT : k === 2 ? TAILGATE : k === 3 ? WRONG_WAY : k === 4 ? FORCED : k === 5 ? HELD_OPEN : k === 6 ? LOCK_FAULT : EMERGENCY_EVENT;
}

function gateKind(type: string): number {
  for (let k = 0; k < GATE_KINDS - 1; k++) {
    if (gateKindName(k) === type) {
      return k;
    }
  }
  return GATE_KINDS - 1;
}

/** The lane's states (laneState(), gate-lane.ts). */
export const IDLE = 0;
export const ADMITTED = 1;
export const PASSING = 2;
export const PASSED = 3;
export const RELOCKED = 4;

/** Where a lane's decisions go: its events, with the instant each names, its lock command, and the admissions it took. */
export interface GateSink {
  event(type: string, tMs: number): void;
  /** true: locked; false: released. Called on every change. */
  lock(locked: boolean): void;
  /** An admission was accepted at tMs (the gate chirps). */
  admitted(tMs: number): void;
}

export interface GateTimes {
  /** A change of a beam, the door or the emergency input shorter than this is flicker. */
  glitchMs: number;
  /** An admission not yet used lapses this long after it came, unless a body is in the lane then. */
  admitMs: number;
  /** The door open this long is held open. */
  heldOpenMs: number;
  /** A door that opened while locked is judged by the first body at a beam within this long. */
  decideMs: number;
  /** The lock counts as just relocked this long after it locked again. */
  settleMs: number;
  /** The most a short body's gap between leaving one beam and reaching the other may be. */
  maxGapMs: number;
}

/** The defaults: the sim's ideal controller admits for 10 s and calls a door held open at 15 s. */
export function gateTimes(): GateTimes {
  return { glitchMs: 50, admitMs: 10000, heldOpenMs: 15000, decideMs: 2000, settleMs: 500, maxGapMs: 1000 };
}

/**
 * A lane's numbers (gate-lane.ts), slots after its crossing tracker's (Tr, crossing-tracker.ts):
 * booleans as 1 and 0. Per input (OUTER, INNER, DOOR_CLOSED, EMERGENCY): the level last seen,
 * since when, and the level taken as settled. The door's (door-watch.ts): when it opened while
 * locked with who opened it not known yet (-1: nothing pending), since when it counts as open,
 * and whether held_open is done. An entry went through this opening of the door (ENTERED), the
 * bodies through it, when the lane last cleared; since when the lock is commanded locked with
 * the door shut, whether it was then, the lock as last commanded, and the lane's time.
 */
export const enum Ln {
  RAW = 8,
  RAW_MS = 12,
  LEVEL = 16,
  OPEN_MS = 20,
  HELD_FROM_MS = 21,
  HELD_DONE = 22,
  ENTERED = 23,
  THROUGH = 24,
  CLEAR_MS = 25,
  RELOCK_MS = 26,
  WAS_SECURE = 27,
  LOCKED = 28,
  NOW_MS = 29,
}

/**
 * One lane (gate-lane.ts): its numbers (slots Ln), the times at which the admissions not yet used
 * came (oldest first), where its decisions go, and its settings. An array, not a class: on NodeMCU
 * a class costs a metatable and its instances hash tables.
 */
export type GateLane = [number[], number[], GateSink, GateTimes];

export { gateKind, gateKindName };
