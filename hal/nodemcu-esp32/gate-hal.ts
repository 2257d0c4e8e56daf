import type { BoardConstants } from "../board";
import type { GateHal } from "../hal";
import { consoleAdmissions } from "../nodemcu/console-admissions";
import { nodemcuEsp32GateIo } from "./gate-io";

export function nodemcuEsp32GateHal(board: BoardConstants): GateHal {
  const io = nodemcuEsp32GateIo(board);
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, admissions: consoleAdmissions(io.clock),
    store: io.store, link: io.link, log: io.log,
  };
}
