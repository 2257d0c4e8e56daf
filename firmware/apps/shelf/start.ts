import type { BoardConstants } from "../../../hal/board";
import type { ShelfHal } from "../../../hal/hal";
import { healthEventJson } from "../../core/health-event";
import { shelfEventJson } from "../../core/shelf-event";
import type { ShelfEvent } from "../../core/shelf-event";
import { cellRates, checkStale, Pipe, pushBatch } from "../../core/shelf-pipeline";
import type { HealthEvent } from "../../core/shelf-pipeline";
import { storedPipeline } from "./stored-pipeline";

/** How often the watchdog looks for cells that stopped converting. */
const WATCHDOG_MS = 500;

/** Boots the shelf controller: calibration and lanes from the Store, batches from every cell, events and health to the link. */
export function startShelf(hal: ShelfHal, board: BoardConstants): void {
  const cellCount = hal.cells.length;
  const prefix = "aisle/" + board.deviceId;
  // What the closures below use of the HAL: held alone, the rest of it (log, store, cells) is not kept for good in Lua.
  const link = hal.link;
  const clock = hal.clock;
  const pipeline = storedPipeline(hal.store, hal.log, cellRates(board.cells),
    (e: ShelfEvent): void => link.publish(prefix + "/event", shelfEventJson(e)),
    (h: HealthEvent): void => link.publish(prefix + "/health", healthEventJson(h)));
  const onBatch = (cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void =>
    pushBatch(pipeline, cell, counts, n, tLastMs, mean, variance, diffSq);
  for (let i = 0; i < cellCount; i++) {
    hal.cells[i].start(onBatch);
  }
  clock.every(WATCHDOG_MS, (): void => checkStale(pipeline, clock.nowMs()));
  hal.log.info("shelf up: " + cellCount + " cells, " + pipeline[Pipe.CONFIG].length + " lanes");
}
