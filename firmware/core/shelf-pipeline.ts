import { round } from "./math";
import { Cell, Fault, filterBatch } from "./cell-filter";
import { resolveEpisode } from "./episode-resolve";
import { Lane, laneActive, laneLevelG, lanePush, laneReset } from "./lane-detector";
import type { LaneConfig } from "./shelf-config";
import type { ShelfEvent } from "./shelf-event";
import type { CellPins } from "../../hal/board";

/** The cells' nominal rates, conversions a second: what the pipeline needs of the board's cells, and all an app need keep of them to make it again. */
export function cellRates(pins: CellPins[]): number[] {
  const rates: number[] = [];
  for (let c = 0; c < pins.length; c++) {
    rates.push(pins[c].rateSps);
  }
  return rates;
}

/** An episode still open after this long is resolved for the lanes that have settled. */
const MAX_EPISODE_MS = 20000;
/**
 * An episode whose counts fit badly waits this long after it settled for its lanes to move again
 * (episode-resolve.ts): a hand that rests on the items for half a second before it lifts them
 * settles twice, and only the whole episode adds up to whole items.
 */
const HOLD_MS = 1000;
/** A cell that misses this many of its batches (and at least NOT_READY_MIN_MS) is not ready. */
const NOT_READY_BATCHES = 3;
const NOT_READY_MIN_MS = 500;

export interface HealthEvent {
  cell: number;
  fault: number;
  /** True when the fault starts, false when it clears. */
  active: boolean;
  tMs: number;
  count: number;
}

/** How long the cell s may go without a batch of n conversions before it is not ready. */
function staleAfterMs(s: number[], n: number): number {
  const gap = s[Cell.BATCH_GAP_MS] > 0 ? s[Cell.BATCH_GAP_MS] : n * 1000 / s[Cell.RATE_SPS];
  return Math.max(NOT_READY_MIN_MS, NOT_READY_BATCHES * gap);
}

/** Reports what changed of the cell's fault, and its glitches, since they were last reported. */
function reportFaults(onHealth: (h: HealthEvent) => void, s: number[], cell: number, tMs: number): void {
  const was = s[Cell.REPORTED];
  const now = s[Cell.FAULT];
  if (now !== was) {
    if (was !== Fault.NONE) {
      onHealth({ cell: cell, fault: was, active: false, tMs: tMs, count: s[Cell.COUNTS + was] });
    }
    if (now !== Fault.NONE) {
      onHealth({ cell: cell, fault: now, active: true, tMs: tMs, count: s[Cell.COUNTS + now] });
    }
    s[Cell.REPORTED] = now;
  }
  if (s[Cell.COUNTS + Fault.GLITCH] !== s[Cell.GLITCHES]) {
    s[Cell.GLITCHES] = s[Cell.COUNTS + Fault.GLITCH];
    onHealth({ cell: cell, fault: Fault.GLITCH, active: false, tMs: tMs, count: s[Cell.COUNTS + Fault.GLITCH] });
  }
}

/**
 * Counts → grams (per cell, with fault checks and spike rejection) → lane sums → settled changes
 * → pick/put events with counts. Pure: the app feeds it the HAL's batches and publishes what it
 * hands back. A lane's weight is the sum of its cells' latest batch means, and advances on its
 * first cell's batches. Detection is on lane sums; a small change on one lane while another moved is
 * leakage through the shelf and is attributed to the lane that moved (episode-resolve.ts).
 *
 * The pipeline is one array, these its slots (a ShelfPipeline), and functions over it rather than
 * a class: on NodeMCU a class costs Lua heap for its class table and prototype, an object's field
 * 28 bytes where an array slot is 12 (docs/lua-heap.md). Each cell's state is an array too (its
 * slots: Cell, cell-filter.ts), and so is each lane's (Lane, lane-detector.ts). pipeline-setup.ts
 * makes one.
 */
export const enum Pipe {
  CELLS = 0,
  LANES = 1,
  /** Each cell's calibration (flat-cal.ts), and the lanes' configuration. */
  CAL = 2,
  CONFIG = 3,
  /** Where events and health go. */
  ON_EVENT = 4,
  ON_HEALTH = 5,
  /** When the open episode began (-1: none is open), and the last event's seq. */
  EPISODE_SINCE_MS = 6,
  SEQ = 7,
  /** Since when no lane of the open episode has moved (-1: one is moving): when it settled. */
  QUIET_SINCE_MS = 8,
}

export type ShelfPipeline = [number[][], number[][], number[][], LaneConfig[], (e: ShelfEvent) => void, (h: HealthEvent) => void, number, number, number];

function laneBlock(p: ShelfPipeline, lane: number, n: number, tStartMs: number, tMs: number): void {
  const lanes = p[Pipe.LANES];
  const d = lanes[lane];
  const cells = p[Pipe.CONFIG][lane].cells;
  let grams = 0;
  let varianceG = 0;
  for (let j = 0; j < cells.length; j++) {
    const s = p[Pipe.CELLS][cells[j]];
    if (s[Cell.READY] === 0) {
      return;
    }
    if (s[Cell.FAULT] !== Fault.NONE) {
      // A lane with a faulted cell reports nothing, and takes its next stable level as given.
      laneReset(d);
      d[Lane.IN_EPISODE] = 0;
      d[Lane.NET_G] = 0;
      return;
    }
    grams = grams + s[Cell.GRAMS];
    varianceG = varianceG + s[Cell.VARIANCE_G];
  }
  const baseline = d[Lane.BASELINE];
  const settled = lanePush(d, grams, varianceG, n, tStartMs);
  if (d[Lane.IN_EPISODE] === 1) {
    // Level to level: each settled step, and what auto-zero follows after it (a plate relaxing
    // while another lane still moves) are all what the episode moved.
    d[Lane.NET_G] = d[Lane.NET_G] + (d[Lane.BASELINE] - baseline);
  }
  if (laneActive(d) && d[Lane.IN_EPISODE] === 0) {
    d[Lane.IN_EPISODE] = 1;
    d[Lane.NET_G] = 0;
    d[Lane.SINCE_MS] = tMs;
    if (p[Pipe.EPISODE_SINCE_MS] < 0) {
      // An episode opens: every lane's level now, so a quiet lane's shift by the end is leakage it took.
      p[Pipe.EPISODE_SINCE_MS] = tMs;
      for (let i = 0; i < lanes.length; i++) {
        lanes[i][Lane.LEVEL_AT_OPEN] = laneLevelG(lanes[i]);
      }
    }
  }
  if (settled && d[Lane.IN_EPISODE] === 1) {
    d[Lane.SINCE_MS] = Math.min(d[Lane.SINCE_MS], d[Lane.ACTIVE_SINCE_MS]);
  }
  if (p[Pipe.EPISODE_SINCE_MS] < 0) {
    return;
  }
  let anyActive = false;
  for (let i = 0; i < lanes.length; i++) {
    anyActive = anyActive || laneActive(lanes[i]);
  }
  if (anyActive) {
    p[Pipe.QUIET_SINCE_MS] = -1;
  } else if (p[Pipe.QUIET_SINCE_MS] < 0) {
    p[Pipe.QUIET_SINCE_MS] = tMs;
  }
  if (!anyActive || tMs - p[Pipe.EPISODE_SINCE_MS] > MAX_EPISODE_MS) {
    const settledMs = anyActive ? tMs : p[Pipe.QUIET_SINCE_MS];
    const seq = resolveEpisode(lanes, p[Pipe.CONFIG], settledMs, !anyActive && tMs - settledMs < HOLD_MS, p[Pipe.SEQ], p[Pipe.ON_EVENT]);
    if (seq >= 0) {
      p[Pipe.SEQ] = seq;
      p[Pipe.EPISODE_SINCE_MS] = anyActive ? tMs : -1;
      p[Pipe.QUIET_SINCE_MS] = -1;
    }
  }
}

/** A batch from the HAL (hal/load-cell.ts) for the cell. */
export function pushBatch(p: ShelfPipeline, cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void {
  const s = p[Pipe.CELLS][cell];
  const prev = s[Cell.LAST_BATCH_MS];
  const gap = prev < 0 ? 0 : tLastMs - prev;
  const late = gap > staleAfterMs(s, n);
  const periodMs = prev < 0 || late ? 1000 / s[Cell.RATE_SPS] : gap / n;
  if (prev >= 0 && !late) {
    s[Cell.BATCH_GAP_MS] = round(gap);
  }
  // Whole ms: Espruino keeps an integer in the array slot itself, a fraction needs a JsVar more.
  s[Cell.LAST_BATCH_MS] = round(tLastMs);
  const good = filterBatch(s, p[Pipe.CAL][cell], counts, n, mean, variance, diffSq);
  if (s[Cell.FAULT] !== s[Cell.REPORTED] || s[Cell.COUNTS + Fault.GLITCH] !== s[Cell.GLITCHES]) {
    reportFaults(p[Pipe.ON_HEALTH], s, cell, tLastMs);
  }
  if (good && s[Cell.LEAD_LANE] >= 0) {
    laneBlock(p, s[Cell.LEAD_LANE], n, tLastMs - (n - 1) * periodMs, tLastMs);
  }
}

/** The watchdog: a cell that has missed several of its batches is not ready. */
export function checkStale(p: ShelfPipeline, nowMs: number): void {
  const cells = p[Pipe.CELLS];
  for (let c = 0; c < cells.length; c++) {
    const s = cells[c];
    if (s[Cell.LAST_BATCH_MS] >= 0 && nowMs - s[Cell.LAST_BATCH_MS] > staleAfterMs(s, 1) && s[Cell.FAULT] === Fault.NONE) {
      s[Cell.FAULT] = Fault.NOT_READY;
      s[Cell.COUNTS + Fault.NOT_READY]++;
      reportFaults(p[Pipe.ON_HEALTH], s, c, nowMs);
    }
  }
}
