/*
 * A cell's calibration: the raw counts at zero load (offset) and a piecewise-linear span through
 * points (counts above offset → grams), (0, 0) implied; beyond the last point the last segment
 * goes on. The record is text, in two Store slots used in turn, so that a power cut at any
 * instant leaves the previous record whole:
 *   aisle-cal 2
 *   seq N
 *   c<TAB>cell<TAB>offset<TAB>counts1<TAB>grams1[<TAB>counts2<TAB>grams2…]
 *   crc XXXX          (CRC-16/CCITT of everything above, newlines included)
 * A reader takes the valid slot with the higher seq (firmware/core/calibration-store.ts).
 */
import type { Calibration } from "./cell-filter";
import { crc16Hex } from "./crc16";
import { formatFixed, formatInt } from "./format";

export interface CellCal {
  offset: number;
  /** Counts above offset, ascending, and the grams they weigh. */
  counts: number[];
  grams: number[];
}

/** One straight segment through a channel's grams per count, as trace metadata gives it. */
export function linearCell(offset: number, gramsPerCount: number): CellCal {
  return { offset: offset, counts: [1000000], grams: [1000000 * gramsPerCount] };
}

export interface CalibrationRecord {
  seq: number;
  cells: CellCal[];
}

const HEADER = "aisle-cal 2";

export class PiecewiseCalibration implements Calibration {
  constructor(private readonly cells: CellCal[]) {}

  grams(cell: number, raw: number): number {
    const c = this.cells[cell];
    const x = raw - c.offset;
    let k = 0;
    while (k < c.counts.length - 1 && x > c.counts[k]) {
      k++;
    }
    const x0 = k === 0 ? 0 : c.counts[k - 1];
    const g0 = k === 0 ? 0 : c.grams[k - 1];
    return g0 + ((x - x0) * (c.grams[k] - g0)) / (c.counts[k] - x0);
  }
}

export function encodeCalibrationRecord(r: CalibrationRecord): string {
  let out = HEADER + "\nseq " + formatInt(r.seq) + "\n";
  for (let i = 0; i < r.cells.length; i++) {
    const c = r.cells[i];
    out = out + "c\t" + formatInt(i) + "\t" + formatInt(Math.round(c.offset));
    for (let k = 0; k < c.counts.length; k++) {
      out = out + "\t" + formatInt(Math.round(c.counts[k])) + "\t" + formatFixed(c.grams[k], 3);
    }
    out = out + "\n";
  }
  return out + "crc " + crc16Hex(out) + "\n";
}

function decodeCell(f: string[]): CellCal | undefined {
  const counts: number[] = [];
  const grams: number[] = [];
  let lastX = 0;
  let lastG = 0;
  const direction = Number(f[4]) > 0 ? 1 : -1;
  for (let k = 3; k + 1 < f.length; k = k + 2) {
    const x = Number(f[k]);
    const g = Number(f[k + 1]);
    // Points climb in counts, and the span never goes flat or turns back.
    if (!isFinite(x) || !isFinite(g) || x <= lastX || (g - lastG) * direction <= 0) {
      return undefined;
    }
    counts.push(x);
    grams.push(g);
    lastX = x;
    lastG = g;
  }
  const offset = Number(f[2]);
  return counts.length === 0 || f.length !== 3 + 2 * counts.length || !isFinite(offset) ? undefined : { offset: offset, counts: counts, grams: grams };
}

/** The record in text, or undefined when it is missing, torn, corrupt or for other cells. */
export function decodeCalibrationRecord(text: string | undefined, cellCount: number): CalibrationRecord | undefined {
  if (text === undefined) {
    return undefined;
  }
  const end = text.indexOf("\ncrc ") + 1;
  if (end <= 0 || text.slice(end) !== "crc " + crc16Hex(text.slice(0, end)) + "\n") {
    return undefined;
  }
  const lines = text.slice(0, end).split("\n");
  const seq = Number(lines[1].slice(4));
  if (lines[0] !== HEADER || lines[1].slice(0, 4) !== "seq " || !isFinite(seq) || lines.length !== cellCount + 3) {
    return undefined;
  }
  const cells: CellCal[] = [];
  for (let i = 0; i < cellCount; i++) {
    const f = lines[i + 2].split("\t");
    const cell = f[0] === "c" && Number(f[1]) === i ? decodeCell(f) : undefined;
    if (cell === undefined) {
      return undefined;
    }
    cells.push(cell);
  }
  return { seq: seq, cells: cells };
}
