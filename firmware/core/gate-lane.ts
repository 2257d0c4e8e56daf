import { CrossingTracker, IN, INNER, OUTER } from "./crossing-tracker";
import { DoorWatch } from "./door-watch";
import { ADMITTED, EMERGENCY_EVENT, ENTRY, EXIT, IDLE, PASSED, PASSING, RELOCKED, TAILGATE, WRONG_WAY } from "./gate-events";
import type { GateSink, GateTimes } from "./gate-events";

/*
 * One gate lane's state machine, pure: inputs with their times in, events and the lock command
 * out (docs/gate.md). Every input is taken glitchMs after it changed, if it still holds, at the
 * time it changed; the lane's own deadlines wait as long, so that everything is decided in the
 * order it happened, whenever the caller's clock gets round to it. The one exception is the
 * emergency input, which releases the lock the moment it arrives.
 */

/** Input signals: OUTER and INNER (crossing-tracker.ts), then these. */
export const DOOR_CLOSED = 2;
export const EMERGENCY = 3;

/* The kinds of work, in the order they are done at one instant: the four inputs, then these deadlines. */
const DECIDE = 4;
const LAPSE = 5;
const HELD = 6;

export class GateLane {
  /* Per input: the level last seen, since when, and the level taken as settled. */
  private readonly raw: boolean[] = [false, false, true, false];
  private readonly rawMs: number[] = [0, 0, 0, 0];
  private readonly level: boolean[] = [false, false, true, false];
  /** When each admission not yet used came, oldest first. */
  private readonly credits: number[] = [];
  private readonly tracker: CrossingTracker;
  private readonly door: DoorWatch;
  /* An entry went through this opening of the door: bodies beyond the admissions are tailgates. */
  private entered = false;
  private through = 0;
  private clearMs = 0;
  /* Since when the lock is commanded locked with the door shut. */
  private relockMs = -1e9;
  private wasSecure = true;
  private locked = true;
  private nowMs = 0;

  constructor(private readonly times: GateTimes, private readonly sink: GateSink) {
    this.tracker = new CrossingTracker(times.maxGapMs);
    this.door = new DoorWatch(times, sink);
    sink.lock(true);
  }

  /** An input's level at boot, taken as settled: a door found open is not judged, only timed. */
  begin(signal: number, level: boolean, tMs: number): void {
    this.raw[signal] = level;
    this.level[signal] = level;
    if (signal !== DOOR_CLOSED) {
      if (level) {
        this.settle(signal, true, tMs);
      }
    } else if (!level) {
      this.door.foundOpen(tMs);
    }
    this.drive(tMs);
  }

  /** An input changed at tMs (signal OUTER, INNER, DOOR_CLOSED or EMERGENCY; level true: broken, closed, active). */
  input(signal: number, level: boolean, tMs: number): void {
    this.advance(tMs);
    if (level === this.raw[signal]) {
      return;
    }
    this.raw[signal] = level;
    this.rawMs[signal] = tMs;
    this.drive(tMs);
  }

  /** A credential was accepted for this lane at tMs: one body may enter. */
  admit(tMs: number): void {
    this.advance(tMs);
    this.credits.push(tMs);
    this.door.explain();
    this.drive(tMs);
    this.sink.admitted(tMs);
  }

  /** When advance() next has work: Infinity for none. */
  nextDueMs(): number {
    let best = Infinity;
    for (let i = 0; i <= HELD; i++) {
      best = Math.min(best, this.due(i));
    }
    return best + this.times.glitchMs;
  }

  /** Does everything due by toMs (the caller's clock), in the order it happened. */
  advance(toMs: number): void {
    const glitchMs = this.times.glitchMs;
    for (;;) {
      let work = -1;
      let t = Infinity;
      for (let i = 0; i <= HELD; i++) {
        const d = this.due(i);
        if (d < t) {
          t = d;
          work = i;
        }
      }
      // Compared as nextDueMs() computes it, so that advancing to nextDueMs() always does that work.
      if (work < 0 || t + glitchMs > toMs) {
        break;
      }
      this.run(work, t);
    }
    this.nowMs = Math.max(this.nowMs, toMs - glitchMs);
  }

  /** The door as settled: open, or shut. */
  doorOpen(): boolean {
    return !this.level[DOOR_CLOSED];
  }

  state(): number {
    const open = !this.level[DOOR_CLOSED];
    if (this.tracker.busy() || (open && this.through === 0)) {
      return PASSING;
    }
    if (open) {
      return PASSED;
    }
    if (this.credits.length > 0) {
      return ADMITTED;
    }
    return this.nowMs - this.relockMs < this.times.settleMs ? RELOCKED : IDLE;
  }

  /* The time work i happened at, or Infinity when there is none. */
  private due(i: number): number {
    const times = this.times;
    if (i < DECIDE) {
      return this.raw[i] !== this.level[i] ? this.rawMs[i] : Infinity;
    }
    if (i === DECIDE) {
      return this.door.decideMs();
    }
    if (i === LAPSE) {
      // A body in the lane keeps the admission: a short one is between the beams for a moment.
      return this.credits.length > 0 && !this.tracker.busy() ? Math.max(this.credits[0] + times.admitMs, this.clearMs + times.maxGapMs) : Infinity;
    }
    return this.door.heldMs(this.level[EMERGENCY]);
  }

  private run(work: number, t: number): void {
    this.nowMs = t;
    if (work < DECIDE) {
      this.level[work] = this.raw[work];
      this.settle(work, this.raw[work], t);
    } else if (work === DECIDE) {
      this.door.decide();
    } else if (work === LAPSE) {
      this.credits.shift();
    } else {
      this.door.held(t);
    }
    // An opening ends when the door shuts; in a lane whose door never moved, when the lane clears.
    if (this.level[DOOR_CLOSED] && (work === DOOR_CLOSED || !this.tracker.busy())) {
      this.entered = false;
    }
    this.drive(t);
  }

  private settle(signal: number, level: boolean, t: number): void {
    const tracker = this.tracker;
    if (signal === DOOR_CLOSED) {
      if (level) {
        this.door.closed();
      } else {
        this.through = 0;
        this.door.opened(t, !this.released(), tracker.broken(INNER), tracker.broken(OUTER), t - this.relockMs < this.times.settleMs);
      }
    } else if (signal === EMERGENCY) {
      if (level) {
        this.door.explain();
        this.sink.event(EMERGENCY_EVENT, t);
      } else {
        this.door.emergencyEnded(t);
      }
    } else if (level) {
      tracker.edge(signal, true, t);
      this.door.beam(signal);
    } else {
      const dir = tracker.edge(signal, false, t);
      if (dir !== 0) {
        this.crossed(dir, t);
      }
      if (!tracker.busy()) {
        this.clearMs = t;
      }
    }
  }

  private crossed(dir: number, t: number): void {
    this.through++;
    const credits = this.credits;
    if (dir === IN) {
      if (credits.length > 0) {
        credits.shift();
        this.entered = true;
        this.sink.event(ENTRY, t);
      } else {
        this.sink.event(this.entered ? TAILGATE : WRONG_WAY, t);
      }
    } else {
      // Egress is free: a body leaving is an exit, whatever admission waits.
      this.sink.event(EXIT, t);
    }
  }

  /* The lock is released while an admission is in force or the emergency input is active. */
  private released(): boolean {
    return this.credits.length > 0 || this.level[EMERGENCY];
  }

  /* The lock follows the decisions, and the emergency input at once. */
  private drive(t: number): void {
    const released = this.released();
    const secure = !released && this.level[DOOR_CLOSED];
    if (secure && !this.wasSecure) {
      this.relockMs = t;
    }
    this.wasSecure = secure;
    const locked = !(released || this.raw[EMERGENCY]);
    if (locked !== this.locked) {
      this.locked = locked;
      this.sink.lock(locked);
    }
  }
}
