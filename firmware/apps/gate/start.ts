import type { BoardConstants } from "../../../hal/board";
import type { DigitalIn } from "../../../hal/digital";
import type { GateHal, GateLaneIo } from "../../../hal/hal";
import { INNER, OUTER } from "../../core/crossing-tracker";
import { EMERGENCY_EVENT, LOCK_FAULT, gateTimes } from "../../core/gate-events";
import type { GateTimes } from "../../core/gate-events";
import { DOOR_CLOSED, EMERGENCY, GateLane } from "../../core/gate-lane";
import { formatInt, jsonString } from "../../core/format";
import { round } from "../../core/math";

/*
 * The lanes' deadlines are looked at every TICK_MS, up to LAG_MS behind the clock: further back
 * than any input's debounce and timer lag, so that no input arrives dated before work already
 * done, and every board decides in the same order (docs/gate.md, "Time").
 */
const TICK_MS = 100;
const LAG_MS = 100;

function watchInput(input: DigitalIn, lane: GateLane, signal: number, advance: (tMs: number) => void): void {
  input.watch((level: boolean, tMs: number): void => {
    advance(tMs);
    lane.input(signal, level, tMs);
  });
}

/* A function of its own, so each lane's callbacks keep their own lane on Espruino. */
function startLane(io: GateLaneIo, laneId: string, times: GateTimes, nowMs: number, publish: (laneId: string, type: string, tMs: number) => void, advance: (tMs: number) => void): GateLane {
  const lane = new GateLane(times, {
    event(type: string, tMs: number): void {
      publish(laneId, type, tMs);
    },
    lock(locked: boolean): void {
      io.lock.write(locked);
    },
  });
  lane.begin(OUTER, io.beamOuter.read(), nowMs);
  lane.begin(INNER, io.beamInner.read(), nowMs);
  lane.begin(DOOR_CLOSED, io.doorClosed.read(), nowMs);
  watchInput(io.beamOuter, lane, OUTER, advance);
  watchInput(io.beamInner, lane, INNER, advance);
  watchInput(io.doorClosed, lane, DOOR_CLOSED, advance);
  return lane;
}

/** Boots the gate controller: each lane's inputs and admissions feed its state machine; its events go to the link, its lock command to the lock. */
export function startGate(hal: GateHal, board: BoardConstants): void {
  const topics = "aisle/" + board.deviceId + "/";
  const clock = hal.clock;
  const times = gateTimes();
  const lanes: GateLane[] = [];
  let seq = 0;
  const publish = (laneId: string, type: string, tMs: number): void => {
    seq++;
    // The emergency input and a lock fault are the gate's health, as an HX711's faults are the shelf's; events are passages and door alarms.
    hal.link.publish(topics + (type === EMERGENCY_EVENT || type === LOCK_FAULT ? "health" : "event"), "{\"type\":" + jsonString(type) + ",\"lane\":" + jsonString(laneId) +
      ",\"t_ms\":" + formatInt(round(tMs)) + ",\"seq\":" + formatInt(seq) + "}");
  };
  /* Every lane's work due by tMs, the earliest first across lanes: events go out in one order on every board. */
  const advance = (tMs: number): void => {
    for (;;) {
      let first = -1;
      let firstMs = Infinity;
      for (let i = 0; i < lanes.length; i++) {
        const due = lanes[i].nextDueMs();
        if (due <= tMs && due < firstMs) {
          first = i;
          firstMs = due;
        }
      }
      if (first < 0) {
        return;
      }
      lanes[first].advance(firstMs);
    }
  };
  const bootMs = clock.nowMs();
  const emergency = hal.emergency.read();
  for (let i = 0; i < hal.lanes.length; i++) {
    const lane = startLane(hal.lanes[i], "G" + (i + 1), times, bootMs, publish, advance);
    lanes.push(lane);
    lane.begin(EMERGENCY, emergency, bootMs);
  }
  hal.emergency.watch((level: boolean, tMs: number): void => {
    advance(tMs);
    for (let i = 0; i < lanes.length; i++) {
      lanes[i].input(EMERGENCY, level, tMs);
    }
  });
  hal.admissions.watch((lane: number, token: string, tMs: number): void => {
    if (lane >= 0 && lane < lanes.length && Math.floor(lane) === lane) {
      advance(tMs);
      lanes[lane].admit(tMs);
    } else {
      hal.log.error("admission " + token + " for no lane " + lane);
    }
  });
  clock.every(TICK_MS, (): void => {
    advance(clock.nowMs() - LAG_MS);
  });
  hal.log.info("gate " + board.deviceId + " up: " + hal.lanes.length + " lanes");
}
