import type { CellCal } from "./calibration";
import { round } from "./math";
import { Cell, Fault, filterBatch, newCell } from "./cell-filter";
import { laneVerdict } from "./count-estimate";
import { attribute, type EpisodeLane } from "./episode";
import { Lane, laneActive, laneLevelG, lanePush, laneReset, newLane } from "./lane-detector";
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
 * leakage through the shelf and is attributed to the lane that moved.
 *
 * Each cell's state is an array (its slots: Cell, cell-filter.ts), and so is each lane's (Lane,
 * lane-detector.ts): a few tables rather than objects of many fields, which NodeMCU's Lua heap
 * pays for dearly (docs/lua-heap.md).
 */
export class ShelfPipeline {
  private readonly cells: number[][] = [];
  private readonly lanes: number[][] = [];
  private episodeSinceMs = -1;
  private seq = 0;

  /** cal: each cell's calibration; ratesSps: each cell's nominal rate (cellRates); the lanes; then where events and health go. */
  constructor(private readonly cal: CellCal[], ratesSps: number[], private readonly config: LaneConfig[], private readonly onEvent: (e: ShelfEvent) => void, private readonly onHealth: (h: HealthEvent) => void) {
    for (let c = 0; c < ratesSps.length; c++) {
      this.cells.push(newCell(ratesSps[c]));
    }
    for (let i = 0; i < config.length; i++) {
      this.lanes.push(newLane());
      const lead = config[i].cells.length > 0 ? this.cells[config[i].cells[0]] : undefined;
      if (lead !== undefined && lead[Cell.LEAD_LANE] < 0) {
        lead[Cell.LEAD_LANE] = i;
      }
    }
  }

  pushBatch(cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void {
    const s = this.cells[cell];
    const prev = s[Cell.LAST_BATCH_MS];
    const gap = prev < 0 ? 0 : tLastMs - prev;
    const late = gap > staleAfterMs(s, n);
    const periodMs = prev < 0 || late ? 1000 / s[Cell.RATE_SPS] : gap / n;
    if (prev >= 0 && !late) {
      s[Cell.BATCH_GAP_MS] = round(gap);
    }
    // Whole ms: Espruino keeps an integer in the array slot itself, a fraction needs a JsVar more.
    s[Cell.LAST_BATCH_MS] = round(tLastMs);
    const good = filterBatch(s, this.cal[cell], counts, n, mean, variance, diffSq);
    if (s[Cell.FAULT] !== s[Cell.REPORTED] || s[Cell.COUNTS + Fault.GLITCH] !== s[Cell.GLITCHES]) {
      reportFaults(this.onHealth, s, cell, tLastMs);
    }
    if (good && s[Cell.LEAD_LANE] >= 0) {
      this.laneBlock(s[Cell.LEAD_LANE], n, tLastMs - (n - 1) * periodMs, tLastMs);
    }
  }

  /** The watchdog: a cell that has missed several of its batches is not ready. */
  checkStale(nowMs: number): void {
    for (let c = 0; c < this.cells.length; c++) {
      const s = this.cells[c];
      if (s[Cell.LAST_BATCH_MS] >= 0 && nowMs - s[Cell.LAST_BATCH_MS] > staleAfterMs(s, 1) && s[Cell.FAULT] === Fault.NONE) {
        s[Cell.FAULT] = Fault.NOT_READY;
        s[Cell.COUNTS + Fault.NOT_READY]++;
        reportFaults(this.onHealth, s, c, nowMs);
      }
    }
  }

  private laneBlock(lane: number, n: number, tStartMs: number, tMs: number): void {
    const d = this.lanes[lane];
    const cells = this.config[lane].cells;
    let grams = 0;
    let varianceG = 0;
    for (let j = 0; j < cells.length; j++) {
      const s = this.cells[cells[j]];
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
      if (this.episodeSinceMs < 0) {
        // An episode opens: every lane's level now, so a quiet lane's shift by the end is leakage it took.
        this.episodeSinceMs = tMs;
        for (let i = 0; i < this.lanes.length; i++) {
          this.lanes[i][Lane.LEVEL_AT_OPEN] = laneLevelG(this.lanes[i]);
        }
      }
    }
    if (settled && d[Lane.IN_EPISODE] === 1) {
      d[Lane.SINCE_MS] = Math.min(d[Lane.SINCE_MS], d[Lane.ACTIVE_SINCE_MS]);
    }
    if (this.episodeSinceMs < 0) {
      return;
    }
    let anyActive = false;
    for (let i = 0; i < this.lanes.length; i++) {
      anyActive = anyActive || laneActive(this.lanes[i]);
    }
    if (!anyActive || tMs - this.episodeSinceMs > MAX_EPISODE_MS) {
      this.resolve(tMs);
      this.episodeSinceMs = anyActive ? tMs : -1;
    }
  }

  /** Attributes the episode's settled lanes together, and publishes what each one moved. */
  private resolve(tMs: number): void {
    const members: number[] = [];
    const parts: EpisodeLane[] = [];
    let moved = 0;
    for (let i = 0; i < this.lanes.length; i++) {
      const d = this.lanes[i];
      if (d[Lane.IN_EPISODE] === 1 && !laneActive(d)) {
        members.push(i);
        parts.push({ unitG: this.config[i].unitG, grams: d[Lane.NET_G], place: i });
        moved = moved + Math.abs(d[Lane.NET_G]);
      }
    }
    const events = members.length;
    // Quiet lanes join with what leaked onto them, so the sum stays exact; they publish nothing.
    for (let i = 0; i < this.lanes.length; i++) {
      const d = this.lanes[i];
      const level = laneLevelG(d);
      if (d[Lane.IN_EPISODE] === 0 && !laneActive(d) && !isNaN(level) && !isNaN(d[Lane.LEVEL_AT_OPEN])) {
        members.push(i);
        parts.push({ unitG: 0, grams: level - d[Lane.LEVEL_AT_OPEN], place: i });
      }
    }
    const a = attribute(parts);
    for (let k = 0; k < events; k++) {
      const d = this.lanes[members[k]];
      const config = this.config[members[k]];
      d[Lane.IN_EPISODE] = 0;
      const verdict = laneVerdict(a.grams[k], config.unitG, a.counts[k], moved - Math.abs(parts[k].grams), a.confidence);
      if (verdict !== undefined) {
        this.seq++;
        this.onEvent({
          type: a.grams[k] < 0 ? "pick" : "put",
          lane: config.id,
          tMs: tMs,
          tStartMs: d[Lane.SINCE_MS],
          grams: a.grams[k],
          count: verdict.count,
          confidence: verdict.confidence,
          sku: config.sku,
          seq: this.seq,
        });
      }
      d[Lane.NET_G] = 0;
    }
  }
}
