/*
 * A device's raw stream (docs/mqtt.md, "Raw stream") as a trace-format 1 shelf trace: counts,
 * with the device's own calibration as the channels' offset and g_per_count (the first segment's
 * slope, as the format holds one straight line a channel) and its lanes. A batch gives the time
 * of its last sample; the others are spread back from it at the measured sample period.
 */
import type { RawBatch } from "./device-client.ts";

export interface ShownCell {
  offset: number;
  counts: number[];
  grams: number[];
}

export interface ShownLane {
  id: string;
  unit_g: number;
  sku: string;
  cells: number[];
}

/** Sample period in ms, per cell: the median of (Δt between batches) / samples a batch. */
function periods(batches: RawBatch[], cells: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cells; c++) {
    const mine = batches.filter((b) => b.cell === c);
    const steps: number[] = [];
    for (let i = 1; i < mine.length; i++) steps.push((mine[i].t_ms - mine[i - 1].t_ms) / mine[i].counts.length);
    steps.sort((a, b) => a - b);
    out.push(steps.length ? steps[steps.length >> 1] : NaN);
  }
  return out;
}

/** The nominal HX711 rate the measured period is closest to (10 or 80 SPS), else the measured one. */
function nominalRate(periodMs: number): number {
  for (const sps of [80, 10]) if (Math.abs(periodMs - 1000 / sps) / (1000 / sps) < 0.1) return sps;
  return Math.round(1000 / periodMs);
}

export function recordingCsv(device: string, cells: ShownCell[], lanes: ShownLane[], batches: RawBatch[], recordedIso: string): string {
  if (batches.length === 0) throw new Error(`no raw samples came from ${device}: is it streaming (a stream command it accepted)?`);
  const period = periods(batches, cells.length);
  const known = period.filter(Number.isFinite);
  const rate = nominalRate(known.length ? known.reduce((a, b) => a + b, 0) / known.length : 12.5);
  const rows: [number, number, number][] = [];
  for (const b of batches) {
    const p = Number.isFinite(period[b.cell]) ? period[b.cell] : 1000 / rate;
    b.counts.forEach((count, i) => rows.push([b.t_ms - (b.counts.length - 1 - i) * p, b.cell, count]));
  }
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const t0 = rows[0][0];
  const ids = cells.map((_, i) => `c${i}`);
  const channels = Object.fromEntries(cells.map((c, i) => [ids[i], { offset: c.offset, g_per_count: c.counts.length ? c.grams[0] / c.counts[0] : 1 }]));
  const head = [
    "# aisle-trace 1",
    `# kind: "shelf"`,
    `# device: ${JSON.stringify(device)}`,
    `# rate_hz: ${rate}`,
    `# unit: "counts"`,
    `# channels: ${JSON.stringify(channels)}`,
    // A lane with no unit weight or SKU yet leaves them out: the format wants unit_g above 0.
    `# lanes: ${JSON.stringify(lanes.map((l) => ({ id: l.id, channels: l.cells.map((c) => ids[c]), ...(l.sku ? { sku: l.sku } : {}), ...(l.unit_g > 0 ? { unit_g: l.unit_g } : {}) })))}`,
    `# recorded: ${JSON.stringify(recordedIso)}`,
    `# source: "aisle record"`,
    ["t_ms", ...ids].join(","),
  ];
  const body = rows.map(([t, cell, count]) => {
    const cellsOut = ids.map((_, i) => (i === cell ? String(count) : ""));
    return [String(Math.round((t - t0) * 1000) / 1000), ...cellsOut].join(",");
  });
  return head.join("\n") + "\n" + body.join("\n") + "\n";
}
