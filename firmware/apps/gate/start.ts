import type { BoardConstants } from "../../../hal/board";
import type { GateHal, GateLaneIo } from "../../../hal/hal";
import { formatInt, jsonString } from "../../core/format";
import { INNER, OUTER, PassageDetector } from "../../core/passage-detector";
import type { Passage } from "../../core/passage-detector";
import { round } from "../../core/math";

/* A function of its own, so each lane's callbacks keep their own lane on Espruino. */
function watchLane(io: GateLaneIo, laneId: string, report: (laneId: string, p: Passage) => void): void {
  const detector = new PassageDetector();
  io.beamOuter.watch((level: boolean, tMs: number): void => {
    const p = detector.update(OUTER, level, tMs);
    if (p !== undefined) {
      report(laneId, p);
    }
  });
  io.beamInner.watch((level: boolean, tMs: number): void => {
    const p = detector.update(INNER, level, tMs);
    if (p !== undefined) {
      report(laneId, p);
    }
  });
  io.lock.write(true);
}

/** Boots the gate controller: each lane's beams feed its detector; passages go to the link. */
export function startGate(hal: GateHal, board: BoardConstants): void {
  const topic = "aisle/" + board.deviceId + "/event";
  let seq = 0;
  const report = (laneId: string, p: Passage): void => {
    seq++;
    hal.link.publish(topic, "{\"type\":" + jsonString(p.type) + ",\"lane\":" + jsonString(laneId) +
      ",\"t_ms\":" + formatInt(round(p.tMs)) + ",\"seq\":" + formatInt(seq) + "}");
  };
  for (let i = 0; i < hal.lanes.length; i++) {
    watchLane(hal.lanes[i], "G" + (i + 1), report);
  }
  hal.log.info("gate " + board.deviceId + " up: " + hal.lanes.length + " lanes");
}
