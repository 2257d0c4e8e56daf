import type { CellCal } from "./calibration";
import { round } from "./math";
import { CellFilter, FAULT_GLITCH, FAULT_NONE, FAULT_NOT_READY } from "./cell-filter";
import { laneVerdict } from "./count-estimate";
import { attribute, type EpisodeLane } from "./episode";
import { LaneDetector } from "./lane-detector";
import type { LaneConfig } from "./shelf-config";
import type { ShelfEvent } from "./shelf-event";
import type { CellPins } from "../../hal/board";

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

interface LaneState {
  config: LaneConfig;
  detector: LaneDetector;
  /** In the open episode: the lane's net settled change, and when it first went active. */
  inEpisode: boolean;
  netG: number;
  sinceMs: number;
  /** The lane's level when the episode opened: a quiet lane's shift by the end is leakage it took. */
  levelAtOpen: number;
}

/**
 * Counts → grams (per cell, with fault checks and spike rejection) → lane sums → settled changes
 * → pick/put events with counts. Pure: the app feeds it the HAL's batches and publishes what it
 * hands back. A lane's weight is the sum of its cells' latest batch means, and advances on its
 * first cell's batches. Detection is on lane sums; a small change on one lane while another moved is
 * leakage through the shelf and is attributed to the lane that moved.
 */
export class ShelfPipeline {
  private readonly filters: CellFilter[] = [];
  private readonly lastBatchMs: number[] = [];
  private readonly batchGapMs: number[] = [];
  private readonly reported: number[] = [];
  private readonly glitches: number[] = [];
  private readonly lanes: LaneState[] = [];
  private readonly leadOf: number[] = [];
  private episodeSinceMs = -1;
  private seq = 0;

  /** cal: each cell's calibration; cells: the board's cells, for their nominal rates; then where events and health go. */
  constructor(cal: CellCal[], private readonly cells: CellPins[], lanes: LaneConfig[], private readonly onEvent: (e: ShelfEvent) => void, private readonly onHealth: (h: HealthEvent) => void) {
    for (let c = 0; c < cells.length; c++) {
      this.filters.push(new CellFilter(cal[c], cells[c].rateSps));
      this.lastBatchMs.push(-1);
      this.batchGapMs.push(0);
      this.reported.push(FAULT_NONE);
      this.glitches.push(0);
      this.leadOf.push(-1);
    }
    for (let i = 0; i < lanes.length; i++) {
      this.lanes.push({ config: lanes[i], detector: new LaneDetector(), inEpisode: false, netG: 0, sinceMs: 0, levelAtOpen: NaN });
      if (lanes[i].cells.length > 0 && this.leadOf[lanes[i].cells[0]] < 0) {
        this.leadOf[lanes[i].cells[0]] = i;
      }
    }
  }

  pushBatch(cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void {
    const prev = this.lastBatchMs[cell];
    const gap = prev < 0 ? 0 : tLastMs - prev;
    const late = gap > this.staleAfterMs(cell, n);
    const periodMs = prev < 0 || late ? 1000 / this.cells[cell].rateSps : gap / n;
    if (prev >= 0 && !late) {
      this.batchGapMs[cell] = round(gap);
    }
    // Whole ms: Espruino keeps an integer in the array slot itself, a fraction needs a JsVar more.
    this.lastBatchMs[cell] = round(tLastMs);
    const filter = this.filters[cell];
    const good = filter.pushBatch(counts, n, mean, variance, diffSq);
    if (filter.fault !== this.reported[cell] || filter.counts[FAULT_GLITCH] !== this.glitches[cell]) {
      this.reportFaults(cell, tLastMs);
    }
    const laneIndex = this.leadOf[cell];
    if (good && laneIndex >= 0) {
      this.laneBlock(this.lanes[laneIndex], n, tLastMs - (n - 1) * periodMs, tLastMs);
    }
  }

  private staleAfterMs(cell: number, n: number): number {
    const gap = this.batchGapMs[cell] > 0 ? this.batchGapMs[cell] : n * 1000 / this.cells[cell].rateSps;
    return Math.max(NOT_READY_MIN_MS, NOT_READY_BATCHES * gap);
  }

  /** The watchdog: a cell that has missed several of its batches is not ready. */
  checkStale(nowMs: number): void {
    for (let c = 0; c < this.filters.length; c++) {
      const f = this.filters[c];
      if (this.lastBatchMs[c] >= 0 && nowMs - this.lastBatchMs[c] > this.staleAfterMs(c, 1) && f.fault === FAULT_NONE) {
        f.fault = FAULT_NOT_READY;
        f.counts[FAULT_NOT_READY]++;
        this.reportFaults(c, nowMs);
      }
    }
  }

  private reportFaults(cell: number, tMs: number): void {
    const f = this.filters[cell];
    const was = this.reported[cell];
    if (f.fault !== was) {
      if (was !== FAULT_NONE) {
        this.health(cell, was, false, tMs);
      }
      if (f.fault !== FAULT_NONE) {
        this.health(cell, f.fault, true, tMs);
      }
      this.reported[cell] = f.fault;
    }
    if (f.counts[FAULT_GLITCH] !== this.glitches[cell]) {
      this.glitches[cell] = f.counts[FAULT_GLITCH];
      this.health(cell, FAULT_GLITCH, false, tMs);
    }
  }

  private health(cell: number, fault: number, active: boolean, tMs: number): void {
    this.onHealth({ cell: cell, fault: fault, active: active, tMs: tMs, count: this.filters[cell].counts[fault] });
  }

  private laneBlock(lane: LaneState, n: number, tStartMs: number, tMs: number): void {
    const cells = lane.config.cells;
    let grams = 0;
    let varianceG = 0;
    for (let j = 0; j < cells.length; j++) {
      const f = this.filters[cells[j]];
      if (!f.ready) {
        return;
      }
      if (f.fault !== FAULT_NONE) {
        // A lane with a faulted cell reports nothing, and takes its next stable level as given.
        lane.detector.reset();
        lane.inEpisode = false;
        lane.netG = 0;
        return;
      }
      grams = grams + f.grams;
      varianceG = varianceG + f.varianceG;
    }
    const baseline = lane.detector.baseline;
    const settled = lane.detector.push(grams, varianceG, n, tStartMs, tMs);
    if (lane.inEpisode) {
      // Level to level: each settled step, and what auto-zero follows after it (a plate relaxing
      // while another lane still moves) are all what the episode moved.
      lane.netG = lane.netG + (lane.detector.baseline - baseline);
    }
    if (lane.detector.isActive() && !lane.inEpisode) {
      lane.inEpisode = true;
      lane.netG = 0;
      lane.sinceMs = tMs;
      if (this.episodeSinceMs < 0) {
        // An episode opens: every lane's level now, so a quiet lane's shift by the end is leakage it took.
        this.episodeSinceMs = tMs;
        for (let i = 0; i < this.lanes.length; i++) {
          this.lanes[i].levelAtOpen = this.lanes[i].detector.levelG();
        }
      }
    }
    if (settled !== undefined && lane.inEpisode) {
      lane.sinceMs = Math.min(lane.sinceMs, settled.tStartMs);
    }
    if (this.episodeSinceMs < 0) {
      return;
    }
    let anyActive = false;
    for (let i = 0; i < this.lanes.length; i++) {
      anyActive = anyActive || this.lanes[i].detector.isActive();
    }
    if (!anyActive || tMs - this.episodeSinceMs > MAX_EPISODE_MS) {
      this.resolve(tMs);
      this.episodeSinceMs = anyActive ? tMs : -1;
    }
  }

  /** Attributes the episode's settled lanes together, and publishes what each one moved. */
  private resolve(tMs: number): void {
    const members: LaneState[] = [];
    const parts: EpisodeLane[] = [];
    let moved = 0;
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[i];
      if (lane.inEpisode && !lane.detector.isActive()) {
        members.push(lane);
        parts.push({ unitG: lane.config.unitG, grams: lane.netG, place: i });
        moved = moved + Math.abs(lane.netG);
      }
    }
    const events = members.length;
    // Quiet lanes join with what leaked onto them, so the sum stays exact; they publish nothing.
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[i];
      const level = lane.detector.levelG();
      if (!lane.inEpisode && !lane.detector.isActive() && !isNaN(level) && !isNaN(lane.levelAtOpen)) {
        members.push(lane);
        parts.push({ unitG: 0, grams: level - lane.levelAtOpen, place: i });
      }
    }
    const a = attribute(parts);
    for (let k = 0; k < events; k++) {
      const lane = members[k];
      lane.inEpisode = false;
      const verdict = laneVerdict(a.grams[k], lane.config.unitG, a.counts[k], moved - Math.abs(parts[k].grams), a.confidence);
      if (verdict !== undefined) {
        this.seq++;
        this.onEvent({
          type: a.grams[k] < 0 ? "pick" : "put",
          lane: lane.config.id,
          tMs: tMs,
          tStartMs: lane.sinceMs,
          grams: a.grams[k],
          count: verdict.count,
          confidence: verdict.confidence,
          sku: lane.config.sku,
          seq: this.seq,
        });
      }
      lane.netG = 0;
    }
  }
}
