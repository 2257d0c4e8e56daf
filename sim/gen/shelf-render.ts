import type { TruthEvent } from "../trace/truth.ts";
import type { Random } from "./random.ts";
import type { Lane, Plate } from "./shelf-model.ts";
import { neighbours } from "./shelf-model.ts";
import { shelfTruthText, traceText } from "./trace-writer.ts";

/** A hand on a lane between tStartMs and tEndMs: it presses, and items leave or arrive halfway. */
export interface Interaction {
  lane: number;
  tStartMs: number;
  tEndMs: number;
  /** Items added (+) or taken (−); 0 for a touch or a lean. */
  items: number;
  /** Peak force of the hand on the plates, in grams, and the tremor riding on it. */
  pressG: number;
  tremorG: number;
}

/** A fault on one plate's HX711, written into the trace as the chip would report it. */
export interface Fault {
  plate: number;
  kind: "saturation" | "stuck" | "glitch" | "disconnect";
  tStartMs: number;
  tEndMs: number;
}

export interface ShelfScene {
  plates: Plate[];
  lanes: Lane[];
  interactions: Interaction[];
  faults: Fault[];
  durationS: number;
  rateHz: number;
  /** Creep after a load change: this share of the change, reached with time constant creepTauS. */
  creepShare: number;
  creepTauS: number;
  name: string;
  seed: number;
}

const MAX_COUNT = 8388607;
const MIN_COUNT = -8388608;

/** Samples the scene into trace-format rows, and its interactions that moved items into truth. */
export function renderShelf(scene: ShelfScene, rnd: Random): { trace: string; truth: string; events: number } {
  const { plates, lanes, rateHz } = scene;
  const items = lanes.map((l) => l.stock);
  const load = plates.map((p) => p.baseG);
  for (const l of lanes) for (const p of l.plates) load[p] += (l.stock * l.sku.unitG) / l.plates.length;
  // Creep: each load change adds a term share × change × (1 − e^(−t/τ)).
  const creeps: { plate: number; t0: number; amount: number }[] = [];
  const leaks = lanes.map((l) => neighbours(lanes, l).map((p) => ({ plate: p, share: rnd.between(0.023, 0.05) })));
  const sorted = [...scene.interactions].sort((a, b) => a.tStartMs - b.tStartMs);
  const applied = new Array<boolean>(sorted.length).fill(false);
  const stuckAt = new Map<number, number>();
  const truth: TruthEvent[] = [];
  const rows: (string | number)[][] = [];
  const periodMs = 1000 / rateHz;
  const n = Math.floor((scene.durationS * 1000) / periodMs);
  for (let i = 0; i <= n; i++) {
    const tMs = Math.round(i * periodMs * 1000) / 1000;
    const force = plates.map(() => 0);
    sorted.forEach((it, k) => {
      const lane = lanes[it.lane];
      const x = (tMs - it.tStartMs) / (it.tEndMs - it.tStartMs);
      if (!applied[k] && x >= 0.5) {
        applied[k] = true;
        items[it.lane] += it.items;
        const deltaG = it.items * lane.sku.unitG;
        // The shelf frame carries a share of a change onto the neighbours (8–18 g of a 352 g item),
        // and the lane's own plates see that much less: the shelf's sum is exact.
        let leaked = 0;
        for (const leak of leaks[it.lane]) {
          load[leak.plate] += deltaG * leak.share;
          leaked += deltaG * leak.share;
        }
        for (const p of lane.plates) {
          load[p] += (deltaG - leaked) / lane.plates.length;
          creeps.push({ plate: p, t0: tMs, amount: (scene.creepShare * deltaG) / lane.plates.length });
        }
        if (it.items !== 0) {
          truth.push({ type: it.items < 0 ? "pick" : "put", lane: lane.id, tStartMs: Math.round(it.tStartMs), tEndMs: Math.round(it.tEndMs), grams: Math.round(deltaG * 100) / 100, count: Math.abs(it.items), sku: lane.sku.sku });
        }
      }
      if (x < 0 || x > 1) return;
      const press = it.pressG * Math.sin(Math.PI * x) + it.tremorG * Math.sin(2 * Math.PI * 4.3 * (tMs / 1000) + k) * Math.sin(Math.PI * x);
      for (const p of lane.plates) force[p] += press / lane.plates.length;
      for (const leak of leaks[it.lane]) force[leak.plate] += press * leak.share;
    });
    const row: (string | number)[] = [tMs];
    for (let p = 0; p < plates.length; p++) {
      const pl = plates[p];
      let g = load[p] + force[p] + pl.noiseG * rnd.gauss() + (pl.driftGPerH * tMs) / 3600000;
      for (const c of creeps) if (c.plate === p) g += c.amount * (1 - Math.exp(-(tMs - c.t0) / (scene.creepTauS * 1000)));
      row.push(faulted(scene.faults, p, tMs, Math.round(pl.offset + g / pl.gPerCount), stuckAt, rnd));
    }
    rows.push(row);
  }
  const meta = {
    kind: "shelf",
    device: `gen-${scene.name}`,
    rate_hz: rateHz,
    unit: "counts",
    channels: Object.fromEntries(plates.map((p) => [p.id, { offset: p.offset, g_per_count: p.gPerCount }])),
    lanes: lanes.map((l) => ({ id: l.id, channels: l.plates.map((p) => plates[p].id), sku: l.sku.sku, unit_g: l.sku.unitG })),
    source: `aisle gen shelf --scenario ${scene.name} --seed ${scene.seed} --rate ${rateHz}`,
  };
  return { trace: traceText(meta, plates.map((p) => p.id), rows), truth: shelfTruthText(truth), events: truth.length };
}

function faulted(faults: Fault[], plate: number, tMs: number, counts: number, stuckAt: Map<number, number>, rnd: Random): string | number {
  const clamp = (c: number) => Math.min(MAX_COUNT, Math.max(MIN_COUNT, c));
  for (const f of faults) {
    if (f.plate !== plate || tMs < f.tStartMs || tMs > f.tEndMs) continue;
    if (f.kind === "disconnect") return "";
    if (f.kind === "saturation") return MAX_COUNT;
    if (f.kind === "stuck") {
      if (!stuckAt.has(f.tStartMs)) stuckAt.set(f.tStartMs, counts);
      return stuckAt.get(f.tStartMs)!;
    }
    if (f.kind === "glitch") return clamp(counts + (rnd.next() < 0.5 ? -1 : 1) * rnd.int(400000, 3000000));
  }
  return clamp(counts);
}
