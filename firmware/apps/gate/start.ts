import type { BoardConstants } from "../../../hal/board";
import type { GateHal } from "../../../hal/hal";
import { formatInt, jsonString } from "../../core/format";
import { INNER, OUTER, PassageDetector } from "../../core/passage-detector";

/** Boots the gate controller: each lane's beams feed its detector; passages go to the link. */
export function startGate(hal: GateHal, board: BoardConstants): void {
  const topic = "aisle/" + board.deviceId + "/event";
  let seq = 0;
  for (let i = 0; i < hal.lanes.length; i++) {
    const laneId = "G" + (i + 1);
    const io = hal.lanes[i];
    const detector = new PassageDetector();
    const onBeam = (beam: number, broken: boolean, tMs: number): void => {
      const p = detector.update(beam, broken, tMs);
      if (p !== undefined) {
        seq = seq + 1;
        hal.link.publish(topic, "{\"type\":" + jsonString(p.type) + ",\"lane\":" + jsonString(laneId) +
          ",\"t_ms\":" + formatInt(Math.round(p.tMs)) + ",\"seq\":" + formatInt(seq) + "}");
      }
    };
    io.beamOuter.watch((level: boolean, tMs: number): void => {
      onBeam(OUTER, level, tMs);
    });
    io.beamInner.watch((level: boolean, tMs: number): void => {
      onBeam(INNER, level, tMs);
    });
    io.lock.write(true);
  }
  hal.log.info("gate " + board.deviceId + " up: " + hal.lanes.length + " lanes");
}
