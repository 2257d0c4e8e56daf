import type { BoardConstants } from "../board";
import type { ShelfHal } from "../hal";
import type { LoadCell } from "../load-cell";
import { consoleLink, consoleLog } from "../nodemcu/console";
import { Esp32Clock } from "./clock";
import { Esp32Hx711 } from "./hx711-spi";
import { Esp32IoStore } from "./io-store";

export function nodemcuEsp32ShelfHal(board: BoardConstants): ShelfHal {
  const clock = new Esp32Clock();
  const cells: LoadCell[] = [];
  for (let i = 0; i < board.cells.length; i++) {
    cells.push(new Esp32Hx711(board.cells[i], i, clock));
  }
  return { clock: clock, cells: cells, store: new Esp32IoStore(), link: consoleLink(), log: consoleLog() };
}
