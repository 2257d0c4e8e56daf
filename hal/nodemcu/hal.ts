import type { BoardConstants } from "../board";
import type { GateHal, GateLaneIo, ShelfHal } from "../hal";
import type { LoadCell } from "../load-cell";
import { NodeMcuClock } from "./clock";
import { ConsoleLink, ConsoleLog } from "./console";
import { NodeMcuDigitalIn, NodeMcuDigitalOut } from "./digital";
import { NodeMcuFileStore } from "./file-store";
import { NodeMcuHx711Batch, NodeMcuHx711Polled } from "./hx711-cell";

function clockFor(board: BoardConstants): NodeMcuClock {
  return new NodeMcuClock(board.mcu === "esp8266");
}

export function nodemcuShelfHal(board: BoardConstants): ShelfHal {
  const clock = clockFor(board);
  const cells: LoadCell[] = [];
  for (let i = 0; i < board.cells.length; i++) {
    cells.push(board.cells.length === 1 ? new NodeMcuHx711Batch(board.cells[i], i, clock) : new NodeMcuHx711Polled(board.cells[i], i, clock));
  }
  return { clock: clock, cells: cells, store: new NodeMcuFileStore(), link: new ConsoleLink(), log: new ConsoleLog() };
}

export function nodemcuGateHal(board: BoardConstants): GateHal {
  const clock = clockFor(board);
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
    store: new NodeMcuFileStore(),
    link: new ConsoleLink(),
    log: new ConsoleLog(),
  };
}
