import type { BoardConstants } from "../board";
import type { GateHal } from "../hal";
import { consoleAdmissions } from "./console-admissions";
import { nodemcuGateIo } from "./gate-io";

export function nodemcuGateHal(board: BoardConstants): GateHal {
  const io = nodemcuGateIo(board);
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, admissions: consoleAdmissions(io.clock),
    store: io.store, link: io.link, log: io.log,
  };
}
