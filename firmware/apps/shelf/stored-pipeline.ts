import type { Log } from "../../../hal/log";
import type { Store } from "../../../hal/store";
import { linearCell, type CellCal } from "../../core/calibration";
import { loadCalibration } from "../../core/calibration-store";
import { decodeLanes, defaultLanes } from "../../core/shelf-config";
import type { ShelfEvent } from "../../core/shelf-event";
import { shelfPipeline } from "../../core/pipeline-setup";
import type { HealthEvent, ShelfPipeline } from "../../core/shelf-pipeline";

/**
 * The pipeline as the Store has the shelf: each cell's calibration (raw counts, a gram a count,
 * where there is none) and the lanes (a lane a cell where there are none). A function apart from
 * the apps so that what it reads is not in their scope: Espruino keeps all of a function's scope
 * while a closure made in it lives, and the pipeline keeps a calibration of its own (flat-cal.ts).
 */
export function storedPipeline(store: Store, log: Log, ratesSps: number[], onEvent: (e: ShelfEvent) => void, onHealth: (h: HealthEvent) => void): ShelfPipeline {
  const cellCount = ratesSps.length;
  const record = loadCalibration(store, cellCount);
  const cal: CellCal[] = [];
  if (record === undefined) {
    log.error("uncalibrated");
    for (let i = 0; i < cellCount; i++) {
      cal.push(linearCell(0, 1));
    }
  }
  let lanes = decodeLanes(store.read("lanes"), cellCount);
  if (lanes === undefined) {
    lanes = defaultLanes(cellCount);
  }
  return shelfPipeline(record === undefined ? cal : record.cells, ratesSps, lanes, onEvent, onHealth);
}
