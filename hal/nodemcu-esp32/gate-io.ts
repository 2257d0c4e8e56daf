import type { BoardConstants } from "../board";
import type { GateIoHal, GateLaneIo } from "../hal";
import { consoleLink, consoleLog } from "../nodemcu/console";
import { Esp32Clock } from "./clock";
import { Esp32DigitalIn, Esp32DigitalOut } from "./digital";
import { Esp32IoStore } from "./io-store";

/** The gate's clock, inputs, locks, signals, store and console: what both gate builds share. */
export function nodemcuEsp32GateIo(board: BoardConstants): GateIoHal {
  const clock = new Esp32Clock();
  const lanes: GateLaneIo[] = [];
  for (let i = 0; i < board.gateLanes.length; i++) {
    const p = board.gateLanes[i];
    lanes.push({
      beamOuter: new Esp32DigitalIn(p.beamOuter, board.debounceMs, clock),
      beamInner: new Esp32DigitalIn(p.beamInner, board.debounceMs, clock),
      doorClosed: new Esp32DigitalIn(p.doorClosed, board.debounceMs, clock),
      lock: new Esp32DigitalOut(p.lock),
      ledGreen: new Esp32DigitalOut(p.ledGreen),
      ledRed: new Esp32DigitalOut(p.ledRed),
    });
  }
  return {
    clock: clock,
    lanes: lanes,
    emergency: new Esp32DigitalIn(board.emergency, board.debounceMs, clock),
    buzzer: new Esp32DigitalOut(board.buzzer),
    store: new Esp32IoStore(),
    link: consoleLink(),
    log: consoleLog(),
  };
}
