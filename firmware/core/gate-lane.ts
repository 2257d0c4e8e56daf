import { IN, INNER, OUTER, trackerBusy, trackerEdge, Tr } from "./crossing-tracker";
import { doorBeam, doorClosed, doorDecide, doorDecideMs, doorFoundOpen, doorHeld, doorHeldMs, doorOpened } from "./door-watch";
import { ADMITTED, EMERGENCY_EVENT, ENTRY, EXIT, IDLE, Ln, PASSED, PASSING, RELOCKED, TAILGATE, WRONG_WAY } from "./gate-events";
import type { GateLane, GateSink, GateTimes } from "./gate-events";

/*
 * One gate lane's state machine, pure: inputs with their times in, events and the lock command
 * out (docs/gate.md). Every input is taken glitchMs after it changed, if it still holds, at the
 * time it changed; the lane's own deadlines wait as long, so that everything is decided in the
 * order it happened, whenever the caller's clock gets round to it. The one exception is the
 * emergency input, which releases the lock the moment it arrives.
 *
 * A lane is an array (GateLane, gate-events.ts) and these functions over it: its numbers, its
 * credits, its sink, its times. No class: on NodeMCU a class costs a metatable and tables.
 */

/** Input signals: OUTER and INNER (crossing-tracker.ts), then these. */
export const DOOR_CLOSED = 2;
export const EMERGENCY = 3;

/* The kinds of work, in the order they are done at one instant: the four inputs, then these deadlines. */
const DECIDE = 4;
const LAPSE = 5;
const HELD = 6;

/** A lane with its beams clear, its door shut, locked (the sink is told so). */
function newGateLane(times: GateTimes, sink: GateSink): GateLane {
  // Written as one literal, its array part takes its 30 slots exactly (pushes would round it up to 32).
  // The tracker's slots (as newTracker's), then RAW, RAW_MS, LEVEL (the door shut), then OPEN_MS .. NOW_MS.
  const s = [0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, -1, 0, 1, 0, 0, 0, -1e9, 1, 1, 0];
  sink.lock(true);
  return [s, [], sink, times];
}

/* The lock is released while an admission is in force or the emergency input is active. */
function released(lane: GateLane): boolean {
  return lane[1].length > 0 || lane[0][Ln.LEVEL + EMERGENCY] === 1;
}

/* The lock follows the decisions, and the emergency input at once. */
function drive(lane: GateLane, t: number): void {
  const s = lane[0];
  const free = released(lane);
  const secure = !free && s[Ln.LEVEL + DOOR_CLOSED] === 1;
  if (secure && s[Ln.WAS_SECURE] === 0) {
    s[Ln.RELOCK_MS] = t;
  }
  s[Ln.WAS_SECURE] = secure ? 1 : 0;
  const locked = free || s[Ln.RAW + EMERGENCY] === 1 ? 0 : 1;
  if (locked !== s[Ln.LOCKED]) {
    s[Ln.LOCKED] = locked;
    lane[2].lock(locked === 1);
  }
}

function crossed(lane: GateLane, dir: number, t: number): void {
  const s = lane[0];
  s[Ln.THROUGH]++;
  const credits = lane[1];
  if (dir === IN) {
    if (credits.length > 0) {
      credits.shift();
      s[Ln.ENTERED] = 1;
      lane[2].event(ENTRY, t);
    } else {
      lane[2].event(s[Ln.ENTERED] === 1 ? TAILGATE : WRONG_WAY, t);
    }
  } else {
    // Egress is free: a body leaving is an exit, whatever admission waits.
    lane[2].event(EXIT, t);
  }
}

function settle(lane: GateLane, signal: number, level: boolean, t: number): void {
  const s = lane[0];
  if (signal === DOOR_CLOSED) {
    if (level) {
      doorClosed(lane);
    } else {
      s[Ln.THROUGH] = 0;
      doorOpened(lane, t, !released(lane), s[Tr.ON + INNER] === 1, s[Tr.ON + OUTER] === 1, t - s[Ln.RELOCK_MS] < lane[3].settleMs);
    }
  } else if (signal === EMERGENCY) {
    if (level) {
      // The emergency input explains an opening that is still being judged.
      s[Ln.OPEN_MS] = -1;
      lane[2].event(EMERGENCY_EVENT, t);
    } else {
      // The held-open limit counts again from its end.
      s[Ln.HELD_FROM_MS] = t;
    }
  } else if (level) {
    trackerEdge(s, signal, true, t, lane[3].maxGapMs);
    doorBeam(lane, signal);
  } else {
    const dir = trackerEdge(s, signal, false, t, lane[3].maxGapMs);
    if (dir !== 0) {
      crossed(lane, dir, t);
    }
    if (!trackerBusy(s)) {
      s[Ln.CLEAR_MS] = t;
    }
  }
}

/* The time work i happened at, or Infinity when there is none. */
function due(lane: GateLane, i: number): number {
  const s = lane[0];
  if (i < DECIDE) {
    return s[Ln.RAW + i] !== s[Ln.LEVEL + i] ? s[Ln.RAW_MS + i] : Infinity;
  }
  if (i === DECIDE) {
    return doorDecideMs(lane);
  }
  if (i === LAPSE) {
    // A body in the lane keeps the admission: a short one is between the beams for a moment.
    const times = lane[3];
    return lane[1].length > 0 && !trackerBusy(s) ? Math.max(lane[1][0] + times.admitMs, s[Ln.CLEAR_MS] + times.maxGapMs) : Infinity;
  }
  return doorHeldMs(lane, s[Ln.LEVEL + EMERGENCY] === 1);
}

function run(lane: GateLane, work: number, t: number): void {
  const s = lane[0];
  s[Ln.NOW_MS] = t;
  if (work < DECIDE) {
    s[Ln.LEVEL + work] = s[Ln.RAW + work];
    settle(lane, work, s[Ln.RAW + work] === 1, t);
  } else if (work === DECIDE) {
    doorDecide(lane);
  } else if (work === LAPSE) {
    lane[1].shift();
  } else {
    doorHeld(lane, t);
  }
  // An opening ends when the door shuts; in a lane whose door never moved, when the lane clears.
  if (s[Ln.LEVEL + DOOR_CLOSED] === 1 && (work === DOOR_CLOSED || !trackerBusy(s))) {
    s[Ln.ENTERED] = 0;
  }
  drive(lane, t);
}

/** When laneAdvance() next has work: Infinity for none. */
function laneNextDueMs(lane: GateLane): number {
  let best = Infinity;
  for (let i = 0; i <= HELD; i++) {
    best = Math.min(best, due(lane, i));
  }
  return best + lane[3].glitchMs;
}

/** Does everything due by toMs (the caller's clock), in the order it happened. */
function laneAdvance(lane: GateLane, toMs: number): void {
  const glitchMs = lane[3].glitchMs;
  for (;;) {
    let work = -1;
    let t = Infinity;
    for (let i = 0; i <= HELD; i++) {
      const d = due(lane, i);
      if (d < t) {
        t = d;
        work = i;
      }
    }
    // Compared as laneNextDueMs() computes it, so that advancing to laneNextDueMs() always does that work.
    if (work < 0 || t + glitchMs > toMs) {
      break;
    }
    run(lane, work, t);
  }
  lane[0][Ln.NOW_MS] = Math.max(lane[0][Ln.NOW_MS], toMs - glitchMs);
}

/** An input's level at boot, taken as settled: a door found open is not judged, only timed. */
function laneBegin(lane: GateLane, signal: number, level: boolean, tMs: number): void {
  const s = lane[0];
  s[Ln.RAW + signal] = level ? 1 : 0;
  s[Ln.LEVEL + signal] = level ? 1 : 0;
  if (signal !== DOOR_CLOSED) {
    if (level) {
      settle(lane, signal, true, tMs);
    }
  } else if (!level) {
    doorFoundOpen(lane, tMs);
  }
  drive(lane, tMs);
}

/** An input changed at tMs (signal OUTER, INNER, DOOR_CLOSED or EMERGENCY; level true: broken, closed, active). */
function laneInput(lane: GateLane, signal: number, level: boolean, tMs: number): void {
  laneAdvance(lane, tMs);
  const s = lane[0];
  const v = level ? 1 : 0;
  if (v === s[Ln.RAW + signal]) {
    return;
  }
  s[Ln.RAW + signal] = v;
  s[Ln.RAW_MS + signal] = tMs;
  drive(lane, tMs);
}

/** A credential was accepted for this lane at tMs: one body may enter. */
function laneAdmit(lane: GateLane, tMs: number): void {
  laneAdvance(lane, tMs);
  lane[1].push(tMs);
  // An admission explains an opening that is still being judged.
  lane[0][Ln.OPEN_MS] = -1;
  drive(lane, tMs);
  lane[2].admitted(tMs);
}

/** The door as settled: open, or shut. */
function laneDoorOpen(lane: GateLane): boolean {
  return lane[0][Ln.LEVEL + DOOR_CLOSED] === 0;
}

function laneState(lane: GateLane): number {
  const s = lane[0];
  const open = s[Ln.LEVEL + DOOR_CLOSED] === 0;
  if (trackerBusy(s) || (open && s[Ln.THROUGH] === 0)) {
    return PASSING;
  }
  if (open) {
    return PASSED;
  }
  if (lane[1].length > 0) {
    return ADMITTED;
  }
  return s[Ln.NOW_MS] - s[Ln.RELOCK_MS] < lane[3].settleMs ? RELOCKED : IDLE;
}

export type { GateLane };
export { laneAdmit, laneAdvance, laneBegin, laneDoorOpen, laneInput, laneNextDueMs, laneState, newGateLane };
