import type { BoardConstants } from "../../../hal/board";
import type { ShelfHal } from "../../../hal/hal";
import { healthEventJson } from "../../core/health-event";
import { linearCell } from "../../core/calibration";
import type { CellCal } from "../../core/calibration";
import { loadCalibration } from "../../core/calibration-store";
import { decodeLanes, defaultLanes } from "../../core/shelf-config";
import { shelfEventJson } from "../../core/shelf-event";
import type { ShelfEvent } from "../../core/shelf-event";
import { cellRates, checkStale, pushBatch, shelfPipeline } from "../../core/shelf-pipeline";
import type { HealthEvent } from "../../core/shelf-pipeline";

/** How often the watchdog looks for cells that stopped converting. */
const WATCHDOG_MS = 500;

/** Boots the shelf controller: calibration and lanes from the Store, batches from every cell, events and health to the link. */
export function startShelf(hal: ShelfHal, board: BoardConstants): void {
  const cellCount = hal.cells.length;
  const record = loadCalibration(hal.store, cellCount);
  let cal: CellCal[];
  if (record === undefined) {
    hal.log.error("uncalibrated");
    cal = [];
    const raw = linearCell(0, 1);
    for (let i = 0; i < cellCount; i++) {
      cal.push(raw);
    }
  } else {
    cal = record.cells;
  }
  let lanes = decodeLanes(hal.store.read("lanes"), cellCount);
  if (lanes === undefined) {
    lanes = defaultLanes(cellCount);
  }
  const prefix = "aisle/" + board.deviceId;
  // What the closures below use of the HAL: held alone, the rest of it (log, store, cells) is not kept for good in Lua.
  const link = hal.link;
  const clock = hal.clock;
  const pipeline = shelfPipeline(cal, cellRates(board.cells), lanes,
    (e: ShelfEvent): void => link.publish(prefix + "/event", shelfEventJson(e)),
    (h: HealthEvent): void => link.publish(prefix + "/health", healthEventJson(h)));
  const onBatch = (cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void =>
    pushBatch(pipeline, cell, counts, n, tLastMs, mean, variance, diffSq);
  for (let i = 0; i < cellCount; i++) {
    hal.cells[i].start(onBatch);
  }
  clock.every(WATCHDOG_MS, (): void => checkStale(pipeline, clock.nowMs()));
  hal.log.info("shelf up: " + cellCount + " cells, " + lanes.length + " lanes");
}
