import type { BoardConstants } from "../board";
import type { ShelfHal } from "../hal";
import type { LoadCell } from "../load-cell";
import { nodemcuClock } from "./clock";
import { consoleLink, consoleLog } from "./console";
import { nodemcuFileStore } from "./file-store";
import { nodemcuHx711Batch, nodemcuHx711Polled } from "./hx711-cell";

export function nodemcuShelfHal(board: BoardConstants): ShelfHal {
  const clock = nodemcuClock();
  const cells: LoadCell[] = [];
  for (let i = 0; i < board.cells.length; i++) {
    cells.push(board.cells.length === 1 ? nodemcuHx711Batch(board.cells[i], i) : nodemcuHx711Polled(board.cells[i], i));
  }
  return { clock: clock, cells: cells, store: nodemcuFileStore(), link: consoleLink(), log: consoleLog() };
}
