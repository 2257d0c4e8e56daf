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

/** The lane's states (GateLane.state()). */
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
