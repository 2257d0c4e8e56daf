/*
 * The shelf's lane record, as the device keeps it in its Store (the calibration has a record of
 * its own: firmware/core/calibration.ts). Tab-separated text, cheap to parse on both targets:
 *   lanes: "aisle-lanes 1" then one line per lane: id<TAB>unit_g<TAB>sku<TAB>cell,cell,...
 * unit_g is 0 and sku empty where unknown.
 */

export interface LaneConfig {
  id: string;
  cells: number[];
  unitG: number;
  sku: string;
}

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
