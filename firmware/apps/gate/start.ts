import type { BoardConstants } from "../../../hal/board";
import type { GateHal } from "../../../hal/hal";
import { EMERGENCY_EVENT, LOCK_FAULT } from "../../core/gate-events";
import { formatInt, jsonString } from "../../core/format";
import { round } from "../../core/math";
import { laneAdmit } from "../../core/gate-lane";
import { advanceLanes, startGateLanes } from "./gate-lanes";

/** Boots the gate controller: each lane's inputs and admissions feed its state machine; its events go to the link, its lock command to the lock. */
export function startGate(hal: GateHal, board: BoardConstants): void {
  const topics = "aisle/" + board.deviceId + "/";
  let seq = 0;
  const lanes = startGateLanes(hal, (laneId: string, type: string, tMs: number): void => {
    seq++;
    // The emergency input and a lock fault are the gate's health, as an HX711's faults are the shelf's; events are passages and door alarms.
    hal.link.publish(topics + (type === EMERGENCY_EVENT || type === LOCK_FAULT ? "health" : "event"), "{\"type\":" + jsonString(type) + ",\"lane\":" + jsonString(laneId) +
      ",\"t_ms\":" + formatInt(round(tMs)) + ",\"seq\":" + formatInt(seq) + "}");
  });
  hal.admissions.watch((lane: number, token: string, tMs: number): void => {
    if (lane >= 0 && lane < lanes.length && Math.floor(lane) === lane) {
      advanceLanes(lanes, tMs);
      laneAdmit(lanes[lane], tMs);
    } else {
      hal.log.error("admission " + token + " for no lane " + lane);
    }
  });
  hal.log.info("gate " + board.deviceId + " up: " + hal.lanes.length + " lanes");
}
