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
 *
 * The signals are an array (GateSignals: their numbers, the lanes, the lights, the buzzer) and
 * functions over it, not a class: on NodeMCU a class costs a metatable and a prototype.
 */

export const ALARM_MS = 3000;
export const BLINK_MS = 200;
export const CHIRP_MS = 100;

/* The gate's numbers: until when a chirp sounds, and the buzzer's level as last written (-1: never); then SLOTS a lane. */
const CHIRP_UNTIL_MS = 0;
const BUZZER_SHOWN = 1;
const GATE_SLOTS = 2;

/* Per lane, from GATE_SLOTS + i * SLOTS: booleans as 0 and 1, a light's level as last written (-1: never). */
const LOCKED = 0;
const ALARM_FROM_MS = 1;
const ALARM_UNTIL_MS = 2;
const HELD = 3;
const GREEN_SHOWN = 4;
const RED_SHOWN = 5;
const SLOTS = 6;

/** The gate's signals: their numbers, the lanes (looked at for their doors), each lane's green then red light, the buzzer. */
export type GateSignals = [number[], GateLane[], DigitalOut[], DigitalOut];

/** lights: each lane's green then red; gateLanes are looked at for their doors. */
function newGateSignals(gateLanes: GateLane[], lights: DigitalOut[], buzzer: DigitalOut): GateSignals {
  const s = [-1, -1];
  for (let i = 0; i < lights.length / 2; i++) {
    for (let k = 0; k < SLOTS; k++) {
      s.push(k === LOCKED ? 1 : k >= GREEN_SHOWN ? -1 : 0);
    }
  }
  return [s, gateLanes, lights, buzzer];
}

function alarming(g: GateSignals, i: number, nowMs: number): boolean {
  const s = g[0];
  const at = GATE_SLOTS + i * SLOTS;
  // A held-open alarm ends when the door shuts; a lane not started yet has no door to look at.
  if (s[at + HELD] === 1 && (i >= g[1].length || !laneDoorOpen(g[1][i]))) {
    s[at + HELD] = 0;
  }
  return s[at + HELD] === 1 || nowMs < s[at + ALARM_UNTIL_MS];
}

function write(s: number[], slot: number, out: DigitalOut, lit: boolean): void {
  const level = lit ? 1 : 0;
  if (s[slot] !== level) {
    s[slot] = level;
    out.write(lit);
  }
}

/** Writes every light and the buzzer whose level has changed; called on each decision and every tick. */
function signalsShow(g: GateSignals, nowMs: number): void {
  const s = g[0];
  const lights = g[2];
  let beep = nowMs < s[CHIRP_UNTIL_MS];
  for (let i = 0; i < (s.length - GATE_SLOTS) / SLOTS; i++) {
    const at = GATE_SLOTS + i * SLOTS;
    const alarm = alarming(g, i, nowMs);
    const on = alarm && mod(Math.floor((nowMs - s[at + ALARM_FROM_MS]) / BLINK_MS), 2) === 0;
    beep = beep || on;
    write(s, at + GREEN_SHOWN, lights[2 * i], s[at + LOCKED] === 0);
    write(s, at + RED_SHOWN, lights[2 * i + 1], alarm ? on : s[at + LOCKED] === 1);
  }
  const level = beep ? 1 : 0;
  if (level !== s[BUZZER_SHOWN]) {
    s[BUZZER_SHOWN] = level;
    g[3].write(beep);
  }
}

/** Lane i's lock was commanded (true: locked). */
function signalsLock(g: GateSignals, i: number, locked: boolean, nowMs: number): void {
  g[0][GATE_SLOTS + i * SLOTS + LOCKED] = locked ? 1 : 0;
  signalsShow(g, nowMs);
}

/** Lane i reported an event: the alarms start their beeping. */
function signalsEvent(g: GateSignals, i: number, type: string, nowMs: number): void {
  const at = GATE_SLOTS + i * SLOTS;
  const s = g[0];
  if (type === HELD_OPEN || type === TAILGATE || type === WRONG_WAY || type === FORCED || type === LOCK_FAULT) {
    // An alarm during an alarm keeps its rhythm and lengthens it.
    if (!alarming(g, i, nowMs)) {
      s[at + ALARM_FROM_MS] = nowMs;
    }
    if (type === HELD_OPEN) {
      s[at + HELD] = 1;
    } else {
      s[at + ALARM_UNTIL_MS] = Math.max(s[at + ALARM_UNTIL_MS], nowMs + ALARM_MS);
    }
    signalsShow(g, nowMs);
  }
}

/** An admission was accepted. */
function signalsChirp(g: GateSignals, nowMs: number): void {
  g[0][CHIRP_UNTIL_MS] = nowMs + CHIRP_MS;
  signalsShow(g, nowMs);
}

export { newGateSignals, signalsChirp, signalsEvent, signalsLock, signalsShow };
