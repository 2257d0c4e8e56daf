import type { TruthEvent } from "../trace/truth.ts";
import { Random } from "./random.ts";
import { shelfTruthText, traceText } from "./trace-writer.ts";

interface Interaction {
  lane: number;
  tStartMs: number;
  handMs: number;
  items: number;
}

const LANES = [
  { id: "A1", channels: ["p0", "p1"], sku: "cola-330", unit_g: 352.0 },
  { id: "B1", channels: ["p2"], sku: "crisps-150", unit_g: 157.5 },
  { id: "C1", channels: ["p3"], sku: "soup-400", unit_g: 412.0 },
];

/**
 * The bundled demo: three lanes on four 20 kg plates at 80 SPS, a minute of picks and puts with a
 * hand pressing on the plate while it works. Plate noise is the median of design.md's
 * measurements (0.74 g std).
 */
export function shelfDemo(seed: number, rateHz = 80, durationS = 60): { trace: string; truth: string } {
  const rnd = new Random(seed);
  const channels: Record<string, { offset: number; g_per_count: number }> = {};
  const chIds = LANES.flatMap((l) => l.channels);
  for (const id of chIds) channels[id] = { offset: rnd.int(-60000, 90000), g_per_count: Math.round(rnd.between(0.0021, 0.0025) * 1e6) / 1e6 };
  const stock = LANES.map(() => 6);
  const base = chIds.map(() => rnd.between(800, 1500));
  const interactions: Interaction[] = [];
  const truth: TruthEvent[] = [];
  for (let t = 3000; t < durationS * 1000 - 6000; t += rnd.between(3500, 6000)) {
    const lane = rnd.int(0, LANES.length - 1);
    const pick = stock[lane] > 1 && rnd.next() < 0.65;
    const items = Math.min(rnd.int(1, 2), pick ? stock[lane] : 3);
    stock[lane] += pick ? -items : items;
    const it = { lane, tStartMs: Math.round(t), handMs: Math.round(rnd.between(700, 1500)), items: pick ? -items : items };
    interactions.push(it);
    truth.push({ type: pick ? "pick" : "put", lane: LANES[lane].id, tStartMs: it.tStartMs, tEndMs: it.tStartMs + it.handMs, grams: Math.round(it.items * LANES[lane].unit_g * 100) / 100, count: items, sku: LANES[lane].sku });
  }
  const load = chIds.map((_, c) => base[c] + stock0Share(c) * 6);
  const rows: (string | number)[][] = [];
  const periodMs = 1000 / rateHz;
  let next = 0;
  for (let i = 0; i * periodMs <= durationS * 1000; i++) {
    const tMs = Math.round(i * periodMs * 1000) / 1000;
    while (next < interactions.length && interactions[next].tStartMs + interactions[next].handMs <= tMs) {
      const it = interactions[next++];
      applyItems(load, it);
    }
    const row: (string | number)[] = [tMs];
    for (let c = 0; c < chIds.length; c++) {
      let g = load[c] + 0.74 * rnd.gauss();
      const active = interactions[next];
      if (active && tMs >= active.tStartMs && LANES[active.lane].channels.includes(chIds[c])) {
        const x = (tMs - active.tStartMs) / active.handMs;
        g += 180 * Math.sin(Math.PI * x) + (x > 0.5 ? active.items * LANES[active.lane].unit_g / LANES[active.lane].channels.length : 0);
      }
      row.push(Math.round(channels[chIds[c]].offset + g / channels[chIds[c]].g_per_count));
    }
    rows.push(row);
  }
  const meta = { kind: "shelf", device: "shelf-demo", rate_hz: rateHz, unit: "counts", channels, lanes: LANES, source: `aisle demo generator, seed ${seed}` };
  return { trace: traceText(meta, chIds, rows), truth: shelfTruthText(truth) };

  function stock0Share(c: number): number {
    const lane = LANES.findIndex((l) => l.channels.includes(chIds[c]));
    return LANES[lane].unit_g / LANES[lane].channels.length;
  }

  function applyItems(loads: number[], it: Interaction): void {
    const l = LANES[it.lane];
    for (const ch of l.channels) loads[chIds.indexOf(ch)] += (it.items * l.unit_g) / l.channels.length;
  }
}
