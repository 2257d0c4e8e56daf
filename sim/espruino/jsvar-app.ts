import { encodeCalibrationRecord, linearCell } from "../../firmware/core/calibration.ts";
import { encodeLanes } from "../../firmware/core/shelf-config.ts";
import { EspruinoBoard } from "./espruino-board.ts";
import type { ProcessMemory } from "./jsvar-meter.ts";

export interface BootMemory extends ProcessMemory {
  /** What each root name holds, largest first, with the interpreter's records. */
  top: [string, number][];
  errors: string[];
}

/** How long after boot process.memory() is read: the app's first timers have run, as when typed at the REPL. */
export const SETTLE_MS = 2000;

/**
 * Boots an Espruino bundle (aisle's installer: it stores the app as .bootcde and load()s it) on
 * the virtual board, lets it run SETTLE_MS with no sensor attached, and returns process.memory()
 * as Espruino counts JsVars. The store starts as given: empty is a freshly flashed board.
 */
export function bootJsVars(bundle: string, totalJsVars: number, store: Map<string, string> = new Map()): BootMemory {
  const lines: string[] = [];
  const board = new EspruinoBoard({ code: bundle, filename: "bundle.js", mode: "vm", storage: new Map(store), onLine: (l) => lines.push(l) });
  board.countJsVars(totalJsVars);
  board.boot();
  board.runUntil(SETTLE_MS * 1000);
  const top = [...(board.jsvars?.breakdown() ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 12);
  return { ...board.memory(), top, errors: [...board.errors] };
}

/**
 * A calibrated shelf's store, as a technician would leave it: every cell calibrated (a linear
 * span) and one lane per cell with a unit weight and a SKU, so the app holds its full
 * configuration after boot.
 */
export function calibratedShelfStore(cells: number): Map<string, string> {
  const store = new Map<string, string>();
  const cal = Array.from({ length: cells }, (_, i) => linearCell(8_000 + 1_000 * i, 0.0104 + 0.0001 * i));
  store.set("cal.a", encodeCalibrationRecord({ seq: 1, cells: cal }));
  store.set("lanes", encodeLanes(Array.from({ length: cells }, (_, i) => ({ id: `lane-${i + 1}`, cells: [i], unitG: 355 + 50 * i, sku: `sku-${1000 + i}` }))));
  return store;
}
