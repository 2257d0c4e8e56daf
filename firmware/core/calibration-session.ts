/*
 * Calibration in two phases (docs/mqtt.md): tare and span change a staged copy; verify weighs a
 * reference with the staged copy; commit writes it through the A/B record only when every staged
 * cell was verified; rollback drops the staged copy, or with nothing staged, brings back the
 * record the last commit replaced. Each step returns "" or the protocol's error name.
 */
import type { Store } from "../../hal/store";
import type { CellCal } from "./calibration";
import { gramsFromCounts } from "./calibration";
import { loadCalibration, previousCalibration, saveCalibration } from "./calibration-store";

/** A span needs the weight to move the cell at least this far: below it the slope is noise. */
export const MIN_SPAN_COUNTS = 2000;
/** Points per cell in a piecewise span. */
const MAX_POINTS = 6;

function copyCell(c: CellCal): CellCal {
  return { offset: c.offset, counts: c.counts.slice(0), grams: c.grams.slice(0) };
}

function insertAt(xs: number[], k: number, x: number): void {
  xs.push(x);
  for (let i = xs.length - 1; i > k; i--) {
    xs[i] = xs[i - 1];
  }
  xs[k] = x;
}

export class CalibrationSession {
  private staged: CellCal[] = [];
  /** Per cell: whether this staging has a span point yet (the first replaces the old span). */
  private spanned: boolean[] = [];
  /** Per cell: 0 untouched, 1 staged, 2 staged and verified. */
  private state: number[] = [];
  /** The reading of the last verify, for the reply. */
  lastGrams = 0;

  constructor(private readonly store: Store, private current: CellCal[]) {
    this.drop();
  }

  calibration(): CellCal[] {
    return this.current;
  }

  stagedCells(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.state.length; c++) {
      if (this.state[c] > 0) {
        out.push(c);
      }
    }
    return out;
  }

  private drop(): void {
    this.staged = [];
    this.state = [];
    this.spanned = [];
    for (let c = 0; c < this.current.length; c++) {
      this.staged.push(copyCell(this.current[c]));
      this.state.push(0);
      this.spanned.push(false);
    }
  }

  /** The plate's still raw mean becomes the cell's zero; the span keeps its slope. */
  tare(cell: number, stableCounts: number): string {
    if (stableCounts !== stableCounts) {
      return "unstable";
    }
    this.staged[cell].offset = stableCounts;
    this.state[cell] = 1;
    return "";
  }

  /**
   * The known weight on the plate: a point of the span at its distance from the staged zero. A
   * first span on a cell replaces the span it had; later ones add points, kept in order.
   */
  span(cell: number, grams: number, stableCounts: number): string {
    if (stableCounts !== stableCounts) {
      return "unstable";
    }
    const delta = stableCounts - this.staged[cell].offset;
    if (Math.abs(delta) < MIN_SPAN_COUNTS) {
      return "no_load_change";
    }
    // A cell wired the other way round reads fewer counts under load: its points climb in counts and fall in grams.
    const x = Math.abs(delta);
    const g = delta > 0 ? grams : -grams;
    const c = this.staged[cell];
    if (!this.spanned[cell]) {
      c.counts = [];
      c.grams = [];
    }
    let k = 0;
    while (k < c.counts.length && c.counts[k] < x) {
      k++;
    }
    // Strictly monotonic through (0, 0), as the record demands: a point out of line with the others is refused.
    const dir = g > 0 ? 1 : -1;
    const before = k > 0 ? c.grams[k - 1] : 0;
    const inLine = (g - before) * dir > 0 && (k === c.counts.length || ((c.grams[k] - g) * dir > 0 && c.counts[k] !== x));
    if (!inLine || c.counts.length >= MAX_POINTS) {
      return "bad_field";
    }
    insertAt(c.counts, k, x);
    insertAt(c.grams, k, g);
    this.state[cell] = 1;
    this.spanned[cell] = true;
    return "";
  }

  /** Weighs the reference on the cell with the staged calibration; within tolG, the cell is verified. */
  verify(cell: number, grams: number, tolG: number, stableCounts: number): string {
    if (this.state[cell] === 0) {
      return "not_staged";
    }
    if (stableCounts !== stableCounts) {
      return "unstable";
    }
    this.lastGrams = gramsFromCounts(this.staged[cell], stableCounts);
    if (Math.abs(this.lastGrams - grams) > tolG) {
      return "verify_failed";
    }
    this.state[cell] = 2;
    return "";
  }

  commit(): string {
    const cells = this.stagedCells();
    if (cells.length === 0) {
      return "not_staged";
    }
    for (let i = 0; i < cells.length; i++) {
      if (this.state[cells[i]] !== 2) {
        return "not_verified";
      }
    }
    if (!saveCalibration(this.store, this.staged)) {
      return "store_failed";
    }
    this.current = this.staged;
    this.drop();
    return "";
  }

  /** Drops the staged copy; with none, writes the record before the last commit back as the newest. */
  rollback(): string {
    if (this.stagedCells().length > 0) {
      this.drop();
      return "";
    }
    const previous = previousCalibration(this.store, this.current.length);
    if (previous === undefined) {
      return "not_staged";
    }
    if (!saveCalibration(this.store, previous.cells)) {
      return "store_failed";
    }
    const now = loadCalibration(this.store, this.current.length);
    this.current = now === undefined ? previous.cells : now.cells;
    this.drop();
    return "";
  }
}
