import type { BoardConstants } from "../board";
import type { GateHal, GateIoHal, GateLaneIo, ShelfHal } from "../hal";
import type { LoadCell } from "../load-cell";
import { EspruinoClock } from "./clock";
import { consoleAdmissions } from "./console-admissions";
import { ConsoleLink, ConsoleLog } from "./console";
import { EspruinoDigitalIn, EspruinoDigitalOut } from "./digital";
import { EspruinoHx711 } from "./hx711-spi";
import { EspruinoStore } from "./storage";

export function espruinoShelfHal(board: BoardConstants): ShelfHal {
  const clock = new EspruinoClock();
  const cells: LoadCell[] = [];
  for (let i = 0; i < board.cells.length; i++) {
    cells.push(new EspruinoHx711(board.cells[i], i, clock.bootS));
  }
  return { clock: clock, cells: cells, store: new EspruinoStore(), link: new ConsoleLink(), log: new ConsoleLog() };
}

/** The gate's clock, inputs, locks, signals, store and console: what both gate builds share. */
export function espruinoGateIo(board: BoardConstants): GateIoHal {
  const clock = new EspruinoClock();
  const lanes: GateLaneIo[] = [];
  for (let i = 0; i < board.gateLanes.length; i++) {
    const p = board.gateLanes[i];
    lanes.push({
      beamOuter: new EspruinoDigitalIn(p.beamOuter, board.debounceMs, clock.bootS),
      beamInner: new EspruinoDigitalIn(p.beamInner, board.debounceMs, clock.bootS),
      doorClosed: new EspruinoDigitalIn(p.doorClosed, board.debounceMs, clock.bootS),
      lock: new EspruinoDigitalOut(p.lock),
      ledGreen: new EspruinoDigitalOut(p.ledGreen),
      ledRed: new EspruinoDigitalOut(p.ledRed),
    });
  }
  return {
    clock: clock,
    lanes: lanes,
    emergency: new EspruinoDigitalIn(board.emergency, board.debounceMs, clock.bootS),
    buzzer: new EspruinoDigitalOut(board.buzzer),
    store: new EspruinoStore(),
    link: new ConsoleLink(),
    log: new ConsoleLog(),
  };
}

export function espruinoGateHal(board: BoardConstants): GateHal {
  const io = espruinoGateIo(board);
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, admissions: consoleAdmissions(io.clock),
    store: io.store, link: io.link, log: io.log,
  };
}
