import { CrossingTracker, IN, INNER, OUTER } from "./crossing-tracker";
import {
  ADMITTED, EMERGENCY_EVENT, ENTRY, EXIT, FORCED, HELD_OPEN, IDLE, LOCK_FAULT, PASSED, PASSING, RELOCKED, TAILGATE, WRONG_WAY,
} from "./gate-events";
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

/* Work in the order decide(): the four inputs, then these deadlines. */
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
  /* A door cycle opened by an admission: in it, bodies beyond the admissions are tailgates. */
  private cycle = false;
  private through = 0;
  /* The door opened while locked at openMs, and who did it is not known yet (-1: nothing pending). */
  private openMs = -1;
  private heldFromMs = 0;
  private heldDone = true;
  private clearMs = 0;
  private relockMs = -1e9;
  private wasReleased = false;
  private locked = true;
  private nowMs = 0;

  constructor(private readonly times: GateTimes, private readonly sink: GateSink) {
    this.tracker = new CrossingTracker(times.maxGapMs);
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
      this.heldFromMs = tMs;
      this.heldDone = false;
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
    this.openMs = -1;
    if (this.tracker.busy() || !this.level[DOOR_CLOSED]) {
      this.cycle = true;
    }
    this.drive(tMs);
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
    const settledMs = toMs - this.times.glitchMs;
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
      if (work < 0 || t > settledMs) {
        break;
      }
      this.run(work, t);
    }
    this.nowMs = Math.max(this.nowMs, settledMs);
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
      return this.openMs >= 0 ? this.openMs + times.decideMs : Infinity;
    }
    if (i === LAPSE) {
      return this.credits.length > 0 && !this.tracker.busy() ? Math.max(this.credits[0] + times.admitMs, this.clearMs) : Infinity;
    }
    return this.heldDone || this.level[EMERGENCY] ? Infinity : this.heldFromMs + times.heldOpenMs;
  }

  private run(work: number, t: number): void {
    this.nowMs = t;
    if (work < DECIDE) {
      this.level[work] = this.raw[work];
      this.settle(work, this.raw[work], t);
    } else if (work === DECIDE) {
      // Nobody came to either beam: nothing but the lock could have let the door go.
      this.report(LOCK_FAULT, this.openMs);
      this.openMs = -1;
    } else if (work === LAPSE) {
      this.credits.shift();
    } else {
      this.heldDone = true;
      this.report(HELD_OPEN, t);
    }
    this.endCycle();
    this.drive(t);
  }

  private settle(signal: number, level: boolean, t: number): void {
    const tracker = this.tracker;
    if (signal === DOOR_CLOSED) {
      if (level) {
        this.heldDone = true;
        if (this.openMs >= 0) {
          this.report(LOCK_FAULT, this.openMs);
          this.openMs = -1;
        }
      } else {
        this.doorOpened(t);
      }
    } else if (signal === EMERGENCY) {
      if (level) {
        this.openMs = -1;
        this.report(EMERGENCY_EVENT, t);
      } else {
        // The limit counts again from the end of the emergency.
        this.heldFromMs = t;
      }
    } else if (level) {
      tracker.edge(signal, true, t);
      if (this.openMs >= 0) {
        // The first body at a beam opened the door: from the street it was forced, from the store free egress.
        if (signal === OUTER) {
          this.report(FORCED, this.openMs);
        }
        this.openMs = -1;
      }
      if (this.credits.length > 0) {
        this.cycle = true;
      }
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

  private doorOpened(t: number): void {
    const tracker = this.tracker;
    this.heldFromMs = t;
    this.heldDone = false;
    this.through = 0;
    if (this.credits.length > 0) {
      this.cycle = true;
    }
    if (this.released() || tracker.broken(INNER)) {
      return;
    }
    if (tracker.broken(OUTER)) {
      this.report(FORCED, t);
    } else if (t - this.relockMs < this.times.settleMs) {
      this.report(LOCK_FAULT, t);
    } else {
      this.openMs = t;
    }
  }

  private crossed(dir: number, t: number): void {
    this.through++;
    const credits = this.credits;
    if (dir === IN) {
      if (credits.length > 0) {
        credits.shift();
        this.cycle = true;
        this.report(ENTRY, t);
      } else {
        this.report(this.cycle ? TAILGATE : WRONG_WAY, t);
      }
    } else {
      this.report(credits.length > 0 ? WRONG_WAY : EXIT, t);
    }
  }

  /* A cycle ends once the door is shut and the lane clear. */
  private endCycle(): void {
    if (this.level[DOOR_CLOSED] && !this.tracker.busy()) {
      this.cycle = false;
    }
  }

  private released(): boolean {
    return this.credits.length > 0 || this.cycle || this.level[EMERGENCY];
  }

  /* The lock follows the decisions, and the emergency input at once. */
  private drive(t: number): void {
    const released = this.released();
    if (this.wasReleased && !released) {
      this.relockMs = t;
    }
    this.wasReleased = released;
    const locked = !(released || this.raw[EMERGENCY]);
    if (locked !== this.locked) {
      this.locked = locked;
      this.sink.lock(locked);
    }
  }

  private report(type: string, tMs: number): void {
    this.sink.event(type, tMs);
  }
}
