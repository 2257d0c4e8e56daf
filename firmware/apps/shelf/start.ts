import type { BoardConstants } from "../../../hal/board";
import type { ShelfHal } from "../../../hal/hal";
import type { LoadCell } from "../../../hal/load-cell";
import { healthEventJson } from "../../core/health-event";
import { linearCell, PiecewiseCalibration } from "../../core/calibration";
import type { CellCal } from "../../core/calibration";
import { loadCalibration } from "../../core/calibration-store";
import { decodeLanes, defaultLanes } from "../../core/shelf-config";
import { shelfEventJson } from "../../core/shelf-event";
import type { ShelfEvent } from "../../core/shelf-event";
import { ShelfPipeline } from "../../core/shelf-pipeline";
import type { HealthEvent } from "../../core/shelf-pipeline";

/** How often the watchdog looks for cells that stopped converting. */
const WATCHDOG_MS = 500;

function uncalibrated(cellCount: number): CellCal[] {
  const cal: CellCal[] = [];
  for (let i = 0; i < cellCount; i++) {
    cal.push(linearCell(0, 1));
  }
  return cal;
}

/* A function of its own, so each cell's callback keeps its own index on Espruino. */
function feedPipeline(cell: LoadCell, index: number, pipeline: ShelfPipeline, publish: (e: ShelfEvent) => void, health: (h: HealthEvent) => void): void {
  cell.start((counts: number[], n: number, tLastMs: number): void => pipeline.pushBatch(index, counts, n, tLastMs, publish, health));
}

/** Boots the shelf controller: calibration and lanes from the Store, batches from every cell, events and health to the link. */
export function startShelf(hal: ShelfHal, board: BoardConstants): void {
  const cellCount = hal.cells.length;
  const record = loadCalibration(hal.store, cellCount);
  let cal: CellCal[];
  if (record === undefined) {
    hal.log.error("no calibration record: publishing raw counts as grams until calibrated");
    cal = uncalibrated(cellCount);
  } else {
    cal = record.cells;
  }
  let lanes = decodeLanes(hal.store.read("lanes"), cellCount);
  if (lanes === undefined) {
    lanes = defaultLanes(cellCount);
  }
  const periods: number[] = [];
  for (let i = 0; i < cellCount; i++) {
    periods.push(1000 / board.cells[i].rateSps);
  }
  const pipeline = new ShelfPipeline(new PiecewiseCalibration(cal), cellCount, lanes, periods);
  const prefix = "aisle/" + board.deviceId;
  const publish = (e: ShelfEvent): void => hal.link.publish(prefix + "/event", shelfEventJson(e));
  const health = (h: HealthEvent): void => hal.link.publish(prefix + "/health", healthEventJson(h));
  for (let i = 0; i < cellCount; i++) {
    feedPipeline(hal.cells[i], i, pipeline, publish, health);
  }
  hal.clock.every(WATCHDOG_MS, (): void => pipeline.checkStale(hal.clock.nowMs(), health));
  hal.log.info("shelf " + board.deviceId + " up: " + cellCount + " cells, " + lanes.length + " lanes");
}
