import { OUTER } from "./crossing-tracker";
import { FORCED, HELD_OPEN, Ln, LOCK_FAULT } from "./gate-events";
import type { GateLane } from "./gate-events";

/*
 * What a lane's door says by itself (docs/gate.md): who opened it when it opened while locked
 * (forced from the street, free egress from the store, a lock fault when nobody was there), and
 * how long it has stood open. Times are the lane's settled times. Functions over the lane's
 * array (its door slots: Ln.OPEN_MS, HELD_FROM_MS, HELD_DONE), not a class.
 */

/**
 * The door opened at t. locked: the lock was commanded locked; inner, outer: the beams broken
 * then; justLocked: it had shut and locked less than settleMs before.
 */
function doorOpened(lane: GateLane, t: number, locked: boolean, inner: boolean, outer: boolean, justLocked: boolean): void {
  const s = lane[0];
  s[Ln.HELD_FROM_MS] = t;
  s[Ln.HELD_DONE] = 0;
  if (!locked || inner) {
    return;
  }
  if (outer) {
    lane[2].event(FORCED, t);
  } else if (justLocked) {
    lane[2].event(LOCK_FAULT, t);
  } else {
    s[Ln.OPEN_MS] = t;
  }
}

/** The door found open at boot: only timed. */
function doorFoundOpen(lane: GateLane, t: number): void {
  lane[0][Ln.HELD_FROM_MS] = t;
  lane[0][Ln.HELD_DONE] = 0;
}

/** Nobody came to either beam: nothing but the lock could have let the door go. */
function doorDecide(lane: GateLane): void {
  const s = lane[0];
  if (s[Ln.OPEN_MS] >= 0) {
    lane[2].event(LOCK_FAULT, s[Ln.OPEN_MS]);
  }
  s[Ln.OPEN_MS] = -1;
}

function doorClosed(lane: GateLane): void {
  lane[0][Ln.HELD_DONE] = 1;
  doorDecide(lane);
}

/** A beam broke: the first body at a beam after an unexplained opening is who opened the door. */
function doorBeam(lane: GateLane, beam: number): void {
  const s = lane[0];
  if (s[Ln.OPEN_MS] >= 0 && beam === OUTER) {
    lane[2].event(FORCED, s[Ln.OPEN_MS]);
  }
  s[Ln.OPEN_MS] = -1;
}

/** When doorDecide() is due: Infinity for nothing pending. */
function doorDecideMs(lane: GateLane): number {
  const openMs = lane[0][Ln.OPEN_MS];
  return openMs >= 0 ? openMs + lane[3].decideMs : Infinity;
}

/** When doorHeld() is due: Infinity when the door is shut, reported, or the emergency input is active. */
function doorHeldMs(lane: GateLane, emergency: boolean): number {
  const s = lane[0];
  return s[Ln.HELD_DONE] === 1 || emergency ? Infinity : s[Ln.HELD_FROM_MS] + lane[3].heldOpenMs;
}

function doorHeld(lane: GateLane, t: number): void {
  lane[0][Ln.HELD_DONE] = 1;
  lane[2].event(HELD_OPEN, t);
}

export { doorBeam, doorClosed, doorDecide, doorDecideMs, doorFoundOpen, doorHeld, doorHeldMs, doorOpened };
