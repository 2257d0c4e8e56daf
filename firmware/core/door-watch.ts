import { OUTER } from "./crossing-tracker";
import { FORCED, HELD_OPEN, LOCK_FAULT } from "./gate-events";
import type { GateSink, GateTimes } from "./gate-events";

/*
 * What a lane's door says by itself (docs/gate.md): who opened it when it opened while locked
 * (forced from the street, free egress from the store, a lock fault when nobody was there), and
 * how long it has stood open. Times are the lane's settled times.
 */
export class DoorWatch {
  /* The door opened while locked at openMs, and who opened it is not known yet (-1: nothing pending). */
  private openMs = -1;
  private heldFromMs = 0;
  private heldDone = true;

  constructor(private readonly times: GateTimes, private readonly sink: GateSink) {}

  /**
   * The door opened at t. locked: the lock was commanded locked; inner, outer: the beams broken
   * then; justLocked: it had shut and locked less than settleMs before.
   */
  opened(t: number, locked: boolean, inner: boolean, outer: boolean, justLocked: boolean): void {
    this.heldFromMs = t;
    this.heldDone = false;
    if (!locked || inner) {
      return;
    }
    if (outer) {
      this.sink.event(FORCED, t);
    } else if (justLocked) {
      this.sink.event(LOCK_FAULT, t);
    } else {
      this.openMs = t;
    }
  }

  /** The door found open at boot: only timed. */
  foundOpen(t: number): void {
    this.heldFromMs = t;
    this.heldDone = false;
  }

  closed(): void {
    this.heldDone = true;
    this.decide();
  }

  /** A beam broke: the first body at a beam after an unexplained opening is who opened the door. */
  beam(beam: number): void {
    if (this.openMs >= 0 && beam === OUTER) {
      this.sink.event(FORCED, this.openMs);
    }
    this.openMs = -1;
  }

  /** An admission, or the emergency input, explains an opening that is still being judged. */
  explain(): void {
    this.openMs = -1;
  }

  /** The emergency input ended at t: the held-open limit counts again from then. */
  emergencyEnded(t: number): void {
    this.heldFromMs = t;
  }

  /** When decide() is due: Infinity for nothing pending. */
  decideMs(): number {
    return this.openMs >= 0 ? this.openMs + this.times.decideMs : Infinity;
  }

  /** Nobody came to either beam: nothing but the lock could have let the door go. */
  decide(): void {
    if (this.openMs >= 0) {
      this.sink.event(LOCK_FAULT, this.openMs);
    }
    this.openMs = -1;
  }

  /** When held() is due: Infinity when the door is shut, reported, or the emergency input is active. */
  heldMs(emergency: boolean): number {
    return this.heldDone || emergency ? Infinity : this.heldFromMs + this.times.heldOpenMs;
  }

  held(t: number): void {
    this.heldDone = true;
    this.sink.event(HELD_OPEN, t);
  }
}
