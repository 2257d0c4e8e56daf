import type { CellCalibration, LaneConfig } from "./shelf-config";
import type { ShelfEvent } from "./shelf-event";
import { StepDetector } from "./step-detector";

const BLOCK_MS = 100;
const BLOCKS = 5;
const STABLE_STD_G = 2.5;
const MIN_STEP_G = 10;

interface LaneState {
  config: LaneConfig;
  detector: StepDetector;
}

/**
 * Counts → grams → lane sums → step events. Pure: the app feeds it batches from the HAL and
 * publishes what it returns. A lane's weight is the sum of the latest grams of its cells; it
 * advances on its first cell's samples, so a lane sees one value per conversion period however
 * many plates it spans.
 */
export class ShelfPipeline {
  private readonly grams: number[] = [];
  private readonly lastBatchMs: number[] = [];
  /** The lanes whose first cell each cell is. */
  private readonly lanesOfCell: LaneState[][] = [];
  private seq = 0;

  constructor(
    private readonly cal: CellCalibration[],
    lanes: LaneConfig[],
    private readonly nominalPeriodMs: number[],
  ) {
    for (let c = 0; c < cal.length; c++) {
      this.grams.push(0);
      this.lastBatchMs.push(-1);
      this.lanesOfCell.push([]);
    }
    for (let i = 0; i < lanes.length; i++) {
      const state: LaneState = {
        config: lanes[i],
        detector: new StepDetector({ blockMs: BLOCK_MS, blocks: BLOCKS, stableStdG: STABLE_STD_G, minStepG: MIN_STEP_G }),
      };
      if (lanes[i].cells.length > 0) {
        this.lanesOfCell[lanes[i].cells[0]].push(state);
      }
    }
  }

  /** Feeds one batch from cell; calls onEvent for each event it completes. */
  pushBatch(cell: number, counts: number[], n: number, tLastMs: number, onEvent: (e: ShelfEvent) => void): void {
    const periodMs = this.lastBatchMs[cell] < 0 ? this.nominalPeriodMs[cell] : (tLastMs - this.lastBatchMs[cell]) / n;
    this.lastBatchMs[cell] = tLastMs;
    const cal = this.cal[cell];
    const lanes = this.lanesOfCell[cell];
    for (let i = 0; i < n; i++) {
      this.grams[cell] = (counts[i] - cal.offset) * cal.gramsPerCount;
      const tMs = tLastMs - (n - 1 - i) * periodMs;
      for (let k = 0; k < lanes.length; k++) {
        const lane = lanes[k];
        const step = lane.detector.push(this.laneGrams(lane.config), tMs);
        if (step !== undefined) {
          onEvent(this.toEvent(lane.config, step.tMs, step.tStartMs, step.grams));
        }
      }
    }
  }

  private laneGrams(lane: LaneConfig): number {
    let g = 0;
    for (let j = 0; j < lane.cells.length; j++) {
      g = g + this.grams[lane.cells[j]];
    }
    return g;
  }

  private toEvent(lane: LaneConfig, tMs: number, tStartMs: number, grams: number): ShelfEvent {
    this.seq = this.seq + 1;
    const count = lane.unitG > 0 ? Math.round((grams < 0 ? -grams : grams) / lane.unitG) : -1;
    return {
      type: grams < 0 ? "pick" : "put",
      lane: lane.id,
      tMs: tMs,
      tStartMs: tStartMs,
      grams: grams,
      count: count,
      sku: lane.sku,
      seq: this.seq,
    };
  }
}
