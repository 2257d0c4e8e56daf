import type { BoardConstants } from "../board";
import type { GateIoHal, GateLaneIo } from "../hal";
import { nodemcuClock } from "./clock";
import { consoleLink, consoleLog } from "./console";
import { NodeMcuDigitalIn, NodeMcuDigitalOut } from "./digital";
import { nodemcuFileStore } from "./file-store";

/** The gate's clock, inputs, locks, signals, store and console: what both gate builds share. */
export function nodemcuGateIo(board: BoardConstants): GateIoHal {
  const clock = nodemcuClock();
  const lanes: GateLaneIo[] = [];
  for (let i = 0; i < board.gateLanes.length; i++) {
    const p = board.gateLanes[i];
    lanes.push({
      beamOuter: new NodeMcuDigitalIn(p.beamOuter, board.debounceMs, clock),
      beamInner: new NodeMcuDigitalIn(p.beamInner, board.debounceMs, clock),
      doorClosed: new NodeMcuDigitalIn(p.doorClosed, board.debounceMs, clock),
      lock: new NodeMcuDigitalOut(p.lock),
      ledGreen: new NodeMcuDigitalOut(p.ledGreen),
      ledRed: new NodeMcuDigitalOut(p.ledRed),
    });
  }
  return {
    clock: clock,
    lanes: lanes,
    emergency: new NodeMcuDigitalIn(board.emergency, board.debounceMs, clock),
    buzzer: new NodeMcuDigitalOut(board.buzzer),
    store: nodemcuFileStore(),
    link: consoleLink(),
    log: consoleLog(),
  };
}
