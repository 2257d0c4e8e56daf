/*
 * The shelf's calibration and lane records, as the device keeps them in its Store.
 * Tab-separated text: cheap to parse on both targets, readable in a file dump.
 *   cal:   "aisle-cal 1" then one line per cell:  cell<TAB>offset_counts<TAB>g_per_count
 *   lanes: "aisle-lanes 1" then one line per lane: id<TAB>unit_g<TAB>sku<TAB>cell,cell,...
 * unit_g is 0 and sku empty where unknown.
 */

export interface CellCalibration {
  offset: number;
  gramsPerCount: number;
}

export interface LaneConfig {
  id: string;
  cells: number[];
  unitG: number;
  sku: string;
}

/** The single-slope calibration of the first record version: grams = (counts − offset) × gramsPerCount. */
export class LinearCalibration {
  constructor(private readonly cells: CellCalibration[]) {}

  grams(cell: number, counts: number): number {
    const c = this.cells[cell];
    return (counts - c.offset) * c.gramsPerCount;
  }
}

export const CAL_HEADER = "aisle-cal 1";
export const LANES_HEADER = "aisle-lanes 1";

function recordLines(text: string | undefined, header: string): string[] | undefined {
  if (text === undefined) {
    return undefined;
  }
  const lines = text.split("\n");
  if (lines[0] !== header) {
    return undefined;
  }
  const body: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].length > 0) {
      body.push(lines[i]);
    }
  }
  return body;
}

export function encodeCalibration(cells: CellCalibration[]): string {
  let out = CAL_HEADER + "\n";
  for (let i = 0; i < cells.length; i++) {
    out = out + i + "\t" + cells[i].offset + "\t" + cells[i].gramsPerCount + "\n";
  }
  return out;
}

/** Returns undefined for a missing or unreadable record: the caller decides what uncalibrated means. */
export function decodeCalibration(text: string | undefined, cellCount: number): CellCalibration[] | undefined {
  const lines = recordLines(text, CAL_HEADER);
  if (lines === undefined) {
    return undefined;
  }
  const cells: CellCalibration[] = [];
  for (let i = 0; i < cellCount; i++) {
    cells.push({ offset: 0, gramsPerCount: 0 });
  }
  for (let i = 0; i < lines.length; i++) {
    const f = lines[i].split("\t");
    const cell = Number(f[0]);
    const offset = Number(f[1]);
    const gpc = Number(f[2]);
    if (f.length !== 3 || !isFinite(cell) || !isFinite(offset) || !isFinite(gpc) || cell < 0 || cell >= cellCount) {
      return undefined;
    }
    cells[cell] = { offset: offset, gramsPerCount: gpc };
  }
  return cells;
}

export function encodeLanes(lanes: LaneConfig[]): string {
  let out = LANES_HEADER + "\n";
  for (let i = 0; i < lanes.length; i++) {
    const l = lanes[i];
    out = out + l.id + "\t" + l.unitG + "\t" + l.sku + "\t" + l.cells.join(",") + "\n";
  }
  return out;
}

export function decodeLanes(text: string | undefined, cellCount: number): LaneConfig[] | undefined {
  const lines = recordLines(text, LANES_HEADER);
  if (lines === undefined) {
    return undefined;
  }
  const lanes: LaneConfig[] = [];
  for (let i = 0; i < lines.length; i++) {
    const f = lines[i].split("\t");
    if (f.length !== 4 || f[0].length === 0) {
      return undefined;
    }
    const unitG = Number(f[1]);
    const names = f[3].split(",");
    const cells: number[] = [];
    for (let j = 0; j < names.length; j++) {
      const c = Number(names[j]);
      if (!isFinite(c) || c < 0 || c >= cellCount) {
        return undefined;
      }
      cells.push(c);
    }
    if (!isFinite(unitG) || unitG < 0) {
      return undefined;
    }
    lanes.push({ id: f[0], cells: cells, unitG: unitG, sku: f[2] });
  }
  return lanes;
}

/** Each cell its own lane, named after its index, as trace-format.md says for traces without lanes. */
export function defaultLanes(cellCount: number): LaneConfig[] {
  const lanes: LaneConfig[] = [];
  for (let i = 0; i < cellCount; i++) {
    lanes.push({ id: "c" + i, cells: [i], unitG: 0, sku: "" });
  }
  return lanes;
}
