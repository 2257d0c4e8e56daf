import { CellFilter, FAULT_GLITCH, FAULT_NONE, FAULT_NOT_READY, type Calibration } from "./cell-filter";
import { countFor, isEvent } from "./count-estimate";
import { LaneDetector } from "./lane-detector";
import type { LaneConfig } from "./shelf-config";
import type { ShelfEvent } from "./shelf-event";

/**
 * Leakage: the shelf frame carries a few per cent of what happens on one lane onto its
 * neighbours (design.md: 8–18 g of a typical pick). A lane's change no bigger than LEAK_SHARE of
 * another lane's movement at the same moment, plus LEAK_FLOOR_G, is that lane's leakage.
 */
const LEAK_SHARE = 0.07;
const LEAK_FLOOR_G = 6;
/** How close in time another lane's activity must be to count as the same moment. */
const OVERLAP_MS = 500;
/** No conversion for this long is a not-ready fault. */
const NOT_READY_MS = 1500;

export interface HealthEvent {
  cell: number;
  fault: number;
  /** True when the fault starts, false when it clears. */
  active: boolean;
  tMs: number;
  count: number;
}

interface LaneState {
  config: LaneConfig;
  detector: LaneDetector;
  lastActiveMs: number;
  activeSinceMs: number;
  /** The largest distance from its baseline the lane reached while last active, in grams. */
  swingG: number;
}

/**
 * Counts → grams (per cell, with fault checks and spike rejection) → lane sums → settled changes
 * → pick/put events with counts. Pure: the app feeds it the HAL's batches and publishes what it
 * hands back. A lane's weight is the sum of its cells' latest grams, and advances on its first
 * cell's samples. Detection is on lane sums; a small change on one lane while another moved is
 * leakage through the shelf and is attributed to the lane that moved.
 */
export class ShelfPipeline {
  private readonly filters: CellFilter[] = [];
  private readonly lastBatchMs: number[] = [];
  private readonly reported: number[] = [];
  private readonly glitches: number[] = [];
  private readonly lanes: LaneState[] = [];
  private readonly leadOf: number[] = [];
  private seq = 0;

  constructor(cal: Calibration, cellCount: number, lanes: LaneConfig[], private readonly nominalPeriodMs: number[]) {
    for (let c = 0; c < cellCount; c++) {
      this.filters.push(new CellFilter(cal, c));
      this.lastBatchMs.push(-1);
      this.reported.push(FAULT_NONE);
      this.glitches.push(0);
      this.leadOf.push(-1);
    }
    for (let i = 0; i < lanes.length; i++) {
      this.lanes.push({ config: lanes[i], detector: new LaneDetector(), lastActiveMs: -100000, activeSinceMs: 0, swingG: 0 });
      if (lanes[i].cells.length > 0 && this.leadOf[lanes[i].cells[0]] < 0) {
        this.leadOf[lanes[i].cells[0]] = i;
      }
    }
  }

  pushBatch(cell: number, counts: number[], n: number, tLastMs: number, onEvent: (e: ShelfEvent) => void, onHealth: (h: HealthEvent) => void): void {
    const prev = this.lastBatchMs[cell];
    const gap = prev < 0 ? 0 : tLastMs - prev;
    const periodMs = prev < 0 || gap > NOT_READY_MS ? this.nominalPeriodMs[cell] : gap / n;
    this.lastBatchMs[cell] = tLastMs;
    const filter = this.filters[cell];
    const laneIndex = this.leadOf[cell];
    for (let i = 0; i < n; i++) {
      const tMs = tLastMs - (n - 1 - i) * periodMs;
      const good = filter.push(counts[i]);
      this.reportFaults(cell, tMs, onHealth);
      if (good && laneIndex >= 0) {
        this.laneSample(this.lanes[laneIndex], tMs, onEvent);
      }
    }
  }

  /** The watchdog: a cell that has sent nothing for NOT_READY_MS is not ready. */
  checkStale(nowMs: number, onHealth: (h: HealthEvent) => void): void {
    for (let c = 0; c < this.filters.length; c++) {
      if (this.lastBatchMs[c] >= 0 && nowMs - this.lastBatchMs[c] > NOT_READY_MS && this.filters[c].fault === FAULT_NONE) {
        this.filters[c].fault = FAULT_NOT_READY;
        this.filters[c].counts[FAULT_NOT_READY] = this.filters[c].counts[FAULT_NOT_READY] + 1;
        this.reportFaults(c, nowMs, onHealth);
      }
    }
  }

  private reportFaults(cell: number, tMs: number, onHealth: (h: HealthEvent) => void): void {
    const f = this.filters[cell];
    if (f.fault !== this.reported[cell]) {
      if (this.reported[cell] !== FAULT_NONE) {
        onHealth({ cell: cell, fault: this.reported[cell], active: false, tMs: tMs, count: f.counts[this.reported[cell]] });
      }
      if (f.fault !== FAULT_NONE) {
        onHealth({ cell: cell, fault: f.fault, active: true, tMs: tMs, count: f.counts[f.fault] });
      }
      this.reported[cell] = f.fault;
    }
    if (f.counts[FAULT_GLITCH] !== this.glitches[cell]) {
      this.glitches[cell] = f.counts[FAULT_GLITCH];
      onHealth({ cell: cell, fault: FAULT_GLITCH, active: false, tMs: tMs, count: f.counts[FAULT_GLITCH] });
    }
  }

  private laneSample(lane: LaneState, tMs: number, onEvent: (e: ShelfEvent) => void): void {
    const cells = lane.config.cells;
    let grams = 0;
    for (let j = 0; j < cells.length; j++) {
      const f = this.filters[cells[j]];
      if (f.fault !== FAULT_NONE) {
        // A lane with a faulted cell reports nothing, and takes its next stable level as given.
        lane.detector.reset();
        return;
      }
      grams = grams + f.grams;
    }
    const wasActive = lane.detector.isActive();
    const settled = lane.detector.push(grams, tMs);
    if (lane.detector.isActive()) {
      if (!wasActive) {
        lane.activeSinceMs = tMs;
        lane.swingG = 0;
      }
      lane.lastActiveMs = tMs;
      lane.swingG = Math.max(lane.swingG, Math.abs(lane.detector.offsetG()));
    }
    if (settled === undefined) {
      return;
    }
    lane.lastActiveMs = tMs;
    const unitG = lane.config.unitG;
    if (!isEvent(settled.grams, unitG) || this.isLeakage(lane, settled.grams, settled.tStartMs)) {
      return;
    }
    const est = countFor(settled.grams, unitG);
    this.seq = this.seq + 1;
    onEvent({
      type: settled.grams < 0 ? "pick" : "put",
      lane: lane.config.id,
      tMs: settled.tMs,
      tStartMs: settled.tStartMs,
      grams: settled.grams,
      count: est.count,
      confidence: est.confidence,
      sku: lane.config.sku,
      seq: this.seq,
    });
  }

  private isLeakage(lane: LaneState, grams: number, sinceMs: number): boolean {
    for (let i = 0; i < this.lanes.length; i++) {
      const other = this.lanes[i];
      if (other !== lane && other.lastActiveMs >= sinceMs - OVERLAP_MS && Math.abs(grams) <= LEAK_FLOOR_G + LEAK_SHARE * other.swingG) {
        return true;
      }
    }
    return false;
  }
}
