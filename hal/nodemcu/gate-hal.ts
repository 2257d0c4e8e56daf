import type { BoardConstants } from "../board";
import type { GateHal, GateLaneIo } from "../hal";
import { consoleAdmissions } from "./console-admissions";
import { nodemcuClock } from "./clock";
import { consoleLink, consoleLog } from "./console";
import { NodeMcuDigitalIn, NodeMcuDigitalOut } from "./digital";
import { nodemcuFileStore } from "./file-store";

export function nodemcuGateHal(board: BoardConstants): GateHal {
  const clock = nodemcuClock();
  const lanes: GateLaneIo[] = [];
  for (let i = 0; i < board.gateLanes.length; i++) {
    const p = board.gateLanes[i];
    lanes.push({
      beamOuter: new NodeMcuDigitalIn(p.beamOuter, board.debounceMs, clock),
      beamInner: new NodeMcuDigitalIn(p.beamInner, board.debounceMs, clock),
      doorClosed: new NodeMcuDigitalIn(p.doorClosed, board.debounceMs, clock),
      lock: new NodeMcuDigitalOut(p.lock),
    });
  }
  return {
    clock: clock,
    lanes: lanes,
    emergency: new NodeMcuDigitalIn(board.emergency, board.debounceMs, clock),
    admissions: consoleAdmissions(clock),
    store: nodemcuFileStore(),
    link: consoleLink(),
    log: consoleLog(),
  };
}
