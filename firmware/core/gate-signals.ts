import type { DigitalOut } from "../../hal/digital";
import { mod } from "./math";
import { FORCED, HELD_OPEN, LOCK_FAULT, TAILGATE, WRONG_WAY } from "./gate-events";
import { laneDoorOpen } from "./gate-lane";
import type { GateLane } from "./gate-events";

/*
 * What the gate shows and sounds (docs/gate.md, "Signals"), decided from the lanes' lock commands
 * and events: a lane's green light is lit while its lock is released (an admission in force, or
 * the emergency input), its red light while it is locked; an alarm makes the red light blink and
 * the buzzer beep with it, ALARM_MS after a tailgate, a wrong-way passage, a forced door or a lock
 * fault, and for as long as a door reported held open stays open. Each accepted admission chirps.
 * The emergency input sounds nothing: the building's own alarm is sounding then. Times are the
 * board's clock when the decision was taken, not the instant an event names, so a light changes
 * as soon as the lane has decided.
 */

export const ALARM_MS = 3000;
export const BLINK_MS = 200;
export const CHIRP_MS = 100;

/* Per lane, in GateSignals.lanes' slots. */
const LOCKED = 0;
const ALARM_FROM_MS = 1;
const ALARM_UNTIL_MS = 2;
const HELD = 3;
const GREEN_SHOWN = 4;
const RED_SHOWN = 5;
const SLOTS = 6;

export class GateSignals {
  /* SLOTS numbers a lane: booleans as 0 and 1, a light's level as last written (-1: never). */
  private readonly lanes: number[] = [];
  private chirpUntilMs = -1;
  private buzzerShown = -1;

  /** lights: each lane's green then red; gateLanes are looked at for their doors. */
  constructor(private readonly gateLanes: GateLane[], private readonly lights: DigitalOut[], private readonly buzzer: DigitalOut) {
    for (let i = 0; i < lights.length / 2; i++) {
      for (let k = 0; k < SLOTS; k++) {
        this.lanes.push(k === LOCKED ? 1 : k >= GREEN_SHOWN ? -1 : 0);
      }
    }
  }

  /** Lane i's lock was commanded (true: locked). */
  lock(i: number, locked: boolean, nowMs: number): void {
    this.lanes[i * SLOTS + LOCKED] = locked ? 1 : 0;
    this.show(nowMs);
  }

  /** Lane i reported an event: the alarms start their beeping. */
  event(i: number, type: string, nowMs: number): void {
    const at = i * SLOTS;
    const s = this.lanes;
    if (type === HELD_OPEN || type === TAILGATE || type === WRONG_WAY || type === FORCED || type === LOCK_FAULT) {
      // An alarm during an alarm keeps its rhythm and lengthens it.
      if (!this.alarming(i, nowMs)) {
        s[at + ALARM_FROM_MS] = nowMs;
      }
      if (type === HELD_OPEN) {
        s[at + HELD] = 1;
      } else {
        s[at + ALARM_UNTIL_MS] = Math.max(s[at + ALARM_UNTIL_MS], nowMs + ALARM_MS);
      }
      this.show(nowMs);
    }
  }

  /** An admission was accepted. */
  chirp(nowMs: number): void {
    this.chirpUntilMs = nowMs + CHIRP_MS;
    this.show(nowMs);
  }

  /** Writes every light and the buzzer whose level has changed; called on each decision and every tick. */
  show(nowMs: number): void {
    const s = this.lanes;
    let beep = nowMs < this.chirpUntilMs;
    for (let i = 0; i < s.length / SLOTS; i++) {
      const at = i * SLOTS;
      const alarm = this.alarming(i, nowMs);
      const on = alarm && mod(Math.floor((nowMs - s[at + ALARM_FROM_MS]) / BLINK_MS), 2) === 0;
      beep = beep || on;
      this.write(at + GREEN_SHOWN, this.lights[2 * i], s[at + LOCKED] === 0);
      this.write(at + RED_SHOWN, this.lights[2 * i + 1], alarm ? on : s[at + LOCKED] === 1);
    }
    const level = beep ? 1 : 0;
    if (level !== this.buzzerShown) {
      this.buzzerShown = level;
      this.buzzer.write(beep);
    }
  }

  private alarming(i: number, nowMs: number): boolean {
    const at = i * SLOTS;
    // A held-open alarm ends when the door shuts; a lane not started yet has no door to look at.
    if (this.lanes[at + HELD] === 1 && (i >= this.gateLanes.length || !laneDoorOpen(this.gateLanes[i]))) {
      this.lanes[at + HELD] = 0;
    }
    return this.lanes[at + HELD] === 1 || nowMs < this.lanes[at + ALARM_UNTIL_MS];
  }

  private write(slot: number, out: DigitalOut, lit: boolean): void {
    const level = lit ? 1 : 0;
    if (this.lanes[slot] !== level) {
      this.lanes[slot] = level;
      out.write(lit);
    }
  }
}
