/*
 * Making a shelf pipeline (shelf-pipeline.ts), its cells' and lanes' states fresh, and what a
 * command needs of one: its calibration as CellCals, and a pipeline afresh once the calibration or
 * the lanes changed. A module apart from the pipeline's per-batch code, the filter's and the
 * detector's (only their const enums come from there, which cost no code): a command on NodeMCU
 * loads this (tools/build/lua-modules.ts) and none of those, so it holds less heap while it runs.
 */
import type { CellCal } from "./calibration";
import { Cell, Fault } from "./cell-filter";
import { cellCalOf, flatCal } from "./flat-cal";
import { Phase } from "./lane-detector";
import type { LaneConfig } from "./shelf-config";
import type { ShelfEvent } from "./shelf-event";
import { Pipe, type HealthEvent, type ShelfPipeline } from "./shelf-pipeline";

/** A fresh cell's state, slot by slot in the order of Cell: an array literal is sized exactly in Lua, where pushes round it up to a power of two. */
function newCell(rateSps: number): number[] {
  return [
    0, 0, // LAST_RAW, SAME_RAW
    0, 0, 0, // R0, R1, PRIMED
    Fault.NONE, // FAULT
    0, 0, 0, // GRAMS, VARIANCE_G, READY
    NaN, // LAST_OUT
    rateSps, // RATE_SPS
    0, 0, 0, 0, 0, // COUNTS of each kind
    -1, 0, // LAST_BATCH_MS, BATCH_GAP_MS
    Fault.NONE, 0, // REPORTED, GLITCHES
    -1, // LEAD_LANE
  ];
}

/** A fresh lane's state, slot by slot in the order of Lane (an array literal is sized exactly in Lua). */
function newLane(): number[] {
  return [
    Phase.INIT, 0, // PHASE, BASELINE
    0, 0, 0, 0, 0, 0, // MEANS, FILLED
    1, 0, // NOISE_VAR, ACTIVE_SINCE_MS
    0, 0, 0, NaN, // IN_EPISODE, NET_G, SINCE_MS, LEVEL_AT_OPEN
  ];
}

/** cal: each cell's calibration; ratesSps: each cell's nominal rate (cellRates); the lanes; then where events and health go. Exported at the end: reconfigured calls it. */
function shelfPipeline(cal: CellCal[], ratesSps: number[], config: LaneConfig[], onEvent: (e: ShelfEvent) => void, onHealth: (h: HealthEvent) => void): ShelfPipeline {
  const cells: number[][] = [];
  const lanes: number[][] = [];
  const flat: number[][] = [];
  for (let c = 0; c < ratesSps.length; c++) {
    cells.push(newCell(ratesSps[c]));
    flat.push(flatCal(cal[c]));
  }
  for (let i = 0; i < config.length; i++) {
    lanes.push(newLane());
    const lead = config[i].cells.length > 0 ? cells[config[i].cells[0]] : undefined;
    if (lead !== undefined && lead[Cell.LEAD_LANE] < 0) {
      lead[Cell.LEAD_LANE] = i;
    }
  }
  return [cells, lanes, flat, config, onEvent, onHealth, -1, 0, -1];
}

/** The calibration the pipeline weighs with, as CellCals. */
export function pipelineCal(p: ShelfPipeline): CellCal[] {
  const cal: CellCal[] = [];
  for (let c = 0; c < p[Pipe.CAL].length; c++) {
    cal.push(cellCalOf(p[Pipe.CAL][c]));
  }
  return cal;
}

/** The pipeline afresh, on the same cells and with the same callbacks, for a calibration or lanes that changed. */
export function reconfigured(p: ShelfPipeline, cal: CellCal[], config: LaneConfig[]): ShelfPipeline {
  const rates: number[] = [];
  for (let c = 0; c < p[Pipe.CELLS].length; c++) {
    rates.push(p[Pipe.CELLS][c][Cell.RATE_SPS]);
  }
  return shelfPipeline(cal, rates, config, p[Pipe.ON_EVENT], p[Pipe.ON_HEALTH]);
}

export { shelfPipeline };
