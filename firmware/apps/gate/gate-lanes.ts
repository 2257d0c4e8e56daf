/*
 * The gate's lanes wired to its inputs and outputs, what the serial and the MQTT builds share:
 * each lane's beams and door, the emergency input to every lane, the lanes' due work done in one
 * order on every board (docs/gate.md, "Time"), and their locks, lights and the buzzer. Admissions
 * are the builds' own: the console's, or signed commands.
 */
import type { Clock } from "../../../hal/clock";
import type { DigitalIn, DigitalOut } from "../../../hal/digital";
import type { GateIoHal } from "../../../hal/hal";
import { INNER, OUTER } from "../../core/crossing-tracker";
import { gateTimes } from "../../core/gate-events";
import type { GateLane, GateTimes } from "../../core/gate-events";
import { DOOR_CLOSED, EMERGENCY, laneAdvance, laneBegin, laneInput, laneNextDueMs, newGateLane } from "../../core/gate-lane";
import { newGateSignals, signalsChirp, signalsEvent, signalsLock, signalsShow } from "../../core/gate-signals";
import type { GateSignals } from "../../core/gate-signals";

/*
 * The lanes' deadlines are looked at every TICK_MS, up to LAG_MS behind the clock: further back
 * than any input's debounce and timer lag, so that no input arrives dated before work already
 * done, and every board decides in the same order (docs/gate.md, "Time").
 */
const TICK_MS = 100;
const LAG_MS = 100;

/** Where the lanes' events go: the lane's id ("G1"), the event's type, the instant it names. */
export type GatePublish = (laneId: string, type: string, tMs: number) => void;

/**
 * Every lane's work due by tMs, the earliest first across lanes (ties: lane order): events go out
 * in one order on every board. Exported at the end, not here: an exported function called in its
 * own module is reached through the module's export table, which the callers' closures would then
 * keep in NodeMCU's heap.
 */
function advanceLanes(lanes: GateLane[], tMs: number): void {
  for (;;) {
    let first = -1;
    let firstMs = Infinity;
    for (let i = 0; i < lanes.length; i++) {
      const due = laneNextDueMs(lanes[i]);
      if (due <= tMs && due < firstMs) {
        first = i;
        firstMs = due;
      }
    }
    if (first < 0) {
      return;
    }
    laneAdvance(lanes[first], firstMs);
  }
}

/*
 * What the lanes' callbacks share, in one array they all hold: on NodeMCU each variable a closure
 * captures is an upvalue of 24 bytes, made anew for each lane.
 */
type Gate = [GateLane[], GateSignals, Clock, GatePublish];

function watchInput(input: DigitalIn, g: Gate, i: number, signal: number): void {
  input.watch((level: boolean, tMs: number): void => {
    advanceLanes(g[0], tMs);
    laneInput(g[0][i], signal, level, tMs);
  });
}

/* A function of its own, so each lane's callbacks keep their own lane on Espruino. */
function startLane(lock: DigitalOut, i: number, times: GateTimes, g: Gate): GateLane {
  return newGateLane(times, {
    event(type: string, tMs: number): void {
      g[3]("G" + (i + 1), type, tMs);
      signalsEvent(g[1], i, type, g[2].nowMs());
    },
    lock(locked: boolean): void {
      lock.write(locked);
      signalsLock(g[1], i, locked, g[2].nowMs());
    },
    admitted(): void {
      signalsChirp(g[1], g[2].nowMs());
    },
  });
}

/**
 * Starts a lane for each of the HAL's ("G1" is the first): reads every input's level at boot,
 * watches them and the emergency input, and does the lanes' due work every TICK_MS. An admission
 * for lane i is `advanceLanes(lanes, tMs)` then `laneAdmit(lanes[i], tMs)`.
 */
export function startGateLanes(hal: GateIoHal, publish: GatePublish): GateLane[] {
  const clock = hal.clock;
  const times = gateTimes();
  const lanes: GateLane[] = [];
  const lights: DigitalOut[] = [];
  for (let i = 0; i < hal.lanes.length; i++) {
    lights.push(hal.lanes[i].ledGreen);
    lights.push(hal.lanes[i].ledRed);
  }
  const g: Gate = [lanes, newGateSignals(lanes, lights, hal.buzzer), clock, publish];
  const bootMs = clock.nowMs();
  const emergency = hal.emergency.read();
  for (let i = 0; i < hal.lanes.length; i++) {
    const io = hal.lanes[i];
    // The lane's lock, not its io: the callbacks would keep every input and output of the lane's object.
    const lane = startLane(io.lock, i, times, g);
    watchInput(io.beamOuter, g, i, OUTER);
    watchInput(io.beamInner, g, i, INNER);
    watchInput(io.doorClosed, g, i, DOOR_CLOSED);
    laneBegin(lane, OUTER, io.beamOuter.read(), bootMs);
    laneBegin(lane, INNER, io.beamInner.read(), bootMs);
    laneBegin(lane, DOOR_CLOSED, io.doorClosed.read(), bootMs);
    lanes.push(lane);
    laneBegin(lane, EMERGENCY, emergency, bootMs);
  }
  hal.emergency.watch((level: boolean, tMs: number): void => {
    advanceLanes(lanes, tMs);
    for (let i = 0; i < lanes.length; i++) {
      laneInput(lanes[i], EMERGENCY, level, tMs);
    }
  });
  clock.every(TICK_MS, (): void => {
    advanceLanes(lanes, clock.nowMs() - LAG_MS);
    signalsShow(g[1], clock.nowMs());
  });
  return lanes;
}

export { advanceLanes };
