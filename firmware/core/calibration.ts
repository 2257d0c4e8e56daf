/*
 * A cell's calibration: the raw counts at zero load (offset) and a piecewise-linear span through
 * points (counts above offset → grams), (0, 0) implied, counts ascending and grams monotonic;
 * below the first point and beyond the last, the nearest segment goes on. The record is text,
 * kept in two Store slots used in turn (firmware/core/calibration-store.ts), so that a power cut
 * at any instant leaves the previous record whole:
 *   aisle-cal 2
 *   seq N
 *   c<TAB>cell<TAB>offset<TAB>npoints<TAB>counts1<TAB>grams1[<TAB>counts2<TAB>grams2…]   (a line a cell)
 *   crc xxxx
 * Every line ends in "\n". seq, cell, offset, npoints and counts are integers (formatInt), grams
 * have three decimals (formatFixed), so JS and Lua write the same bytes. xxxx is the CRC-16/
 * CCITT-FALSE of everything before the crc line, newlines included, in four lowercase hex digits.
 * A record with a wrong version, CRC or cell count, a cell out of place, an integer not written
 * as formatInt writes it, a number that is not finite, or a span that is not strictly monotonic
 * is not a record.
 */
import { crc16Hex } from "./crc16";
import { flatCal, flatGrams } from "./flat-cal";
import { formatFixed, formatInt } from "./format";
import { round } from "./math";

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

/** Grams on the segment that holds the reading, or the nearest one (flat-cal.ts has the maths, which the pipeline uses on its own form). */
export function gramsFromCounts(c: CellCal, raw: number): number {
  return flatGrams(flatCal(c), raw);
}

export function encodeCalibrationRecord(r: CalibrationRecord): string {
  let out = HEADER + "\nseq " + formatInt(r.seq) + "\n";
  for (let i = 0; i < r.cells.length; i++) {
    const c = r.cells[i];
    out = out + "c\t" + formatInt(i) + "\t" + formatInt(round(c.offset)) + "\t" + formatInt(c.counts.length);
    for (let k = 0; k < c.counts.length; k++) {
      out = out + "\t" + formatInt(round(c.counts[k])) + "\t" + formatFixed(c.grams[k], 3);
    }
    out = out + "\n";
  }
  return out + "crc " + crc16Hex(out) + "\n";
}

/**
 * An integer field, only as formatInt writes it (no leading zeros, spaces, exponent, hex or "-0"),
 * or NaN. Grams fields are read with Number() alone: formatFixed's three decimals need not read
 * back digit for digit where floats are single precision (NodeMCU on the ESP32).
 */
function int(s: string): number {
  const n = Number(s);
  return isFinite(n) && formatInt(n) === s ? n : NaN;
}

function decodeCell(f: string[], index: number): CellCal | undefined {
  const n = int(f[3]);
  const offset = int(f[2]);
  if (f[0] !== "c" || int(f[1]) !== index || !isFinite(offset) || !(n > 0) || f.length !== 4 + 2 * n) {
    return undefined;
  }
  const counts: number[] = [];
  const grams: number[] = [];
  let lastX = 0;
  let lastG = 0;
  const direction = Number(f[5]) > 0 ? 1 : -1;
  for (let k = 4; k < f.length; k = k + 2) {
    const x = int(f[k]);
    const g = Number(f[k + 1]);
    // Points climb in counts, and the span never goes flat or turns back (NaN fails both).
    if (!(x > lastX && (g - lastG) * direction > 0 && isFinite(g))) {
      return undefined;
    }
    counts.push(x);
    grams.push(g);
    lastX = x;
    lastG = g;
  }
  return { offset: offset, counts: counts, grams: grams };
}

/** The record in text, or undefined when it is missing, torn, corrupt, malformed or for other cells. Never throws. */
export function decodeCalibrationRecord(text: string | undefined, cellCount: number): CalibrationRecord | undefined {
  if (text === undefined) {
    return undefined;
  }
  const end = text.indexOf("\ncrc ") + 1;
  if (end <= 0 || text.slice(end) !== "crc " + crc16Hex(text.slice(0, end)) + "\n") {
    return undefined;
  }
  // Ends in "\n", so the last of these is "" and lines[1] is there.
  const lines = text.slice(0, end).split("\n");
  const seq = lines[1].slice(0, 4) === "seq " ? int(lines[1].slice(4)) : NaN;
  if (lines[0] !== HEADER || !(seq >= 0) || lines.length !== cellCount + 3) {
    return undefined;
  }
  const cells: CellCal[] = [];
  for (let i = 0; i < cellCount; i++) {
    const cell = decodeCell(lines[i + 2].split("\t"), i);
    if (cell === undefined) {
      return undefined;
    }
    cells.push(cell);
  }
  return { seq: seq, cells: cells };
}
