/*
 * What a generated shelf is made of, with the figures of design.md ("Real shelves"): per-plate
 * noise with a median of 0.74 g and a 90th percentile of 3.1 g (log-normal), 8–18 g of a pick
 * leaking onto neighbouring plates, slow drift, and creep after a load change.
 */
import type { Random } from "./random.ts";

export interface Sku {
  sku: string;
  unitG: number;
}

/** From chewing gum to a 2 kg pack: the range of unit weights a grocery shelf holds. */
export const CATALOGUE: Sku[] = [
  { sku: "gum-30", unitG: 31.5 }, { sku: "yogurt-125", unitG: 131.0 }, { sku: "crisps-150", unitG: 157.5 },
  { sku: "cola-330", unitG: 352.0 }, { sku: "soup-400", unitG: 412.0 }, { sku: "pasta-500", unitG: 508.0 },
  { sku: "rice-1kg", unitG: 1012.0 }, { sku: "juice-1500", unitG: 1580.0 }, { sku: "soap-2kg", unitG: 2065.0 },
];

export interface Plate {
  id: string;
  offset: number;
  gPerCount: number;
  noiseG: number;
  /** Tray and fixtures, in grams. */
  baseG: number;
  /** Grams per hour of slow drift (temperature, zero drift). */
  driftGPerH: number;
}

export interface Lane {
  id: string;
  plates: number[];
  sku: Sku;
  stock: number;
}

/** Per-plate noise, log-normal with design.md's median 0.74 g and p90 3.1 g. */
export function plateNoise(rnd: Random): number {
  const sigmaLn = Math.log(3.1 / 0.74) / 1.2816;
  return Math.min(3.1, 0.74 * Math.exp(sigmaLn * rnd.gauss()));
}

export function makePlate(rnd: Random, i: number, noiseG?: number): Plate {
  return {
    id: `p${i}`,
    offset: rnd.int(-120000, 120000),
    gPerCount: Math.round(rnd.between(0.0021, 0.0025) * 1e7) / 1e7,
    noiseG: noiseG ?? plateNoise(rnd),
    baseG: rnd.between(600, 1400),
    driftGPerH: 0,
  };
}

/** Lanes over consecutive plates: `widths` plates each, with SKUs from the catalogue. */
export function makeLanes(rnd: Random, widths: number[], skus?: Sku[]): Lane[] {
  let next = 0;
  return widths.map((w, i) => {
    const plates = Array.from({ length: w }, (_, k) => next + k);
    next += w;
    const sku = skus?.[i] ?? CATALOGUE[rnd.int(0, CATALOGUE.length - 1)];
    const maxStock = Math.max(2, Math.min(10, Math.floor((6000 * w) / sku.unitG)));
    return { id: String.fromCharCode(65 + i) + "1", plates, sku, stock: Math.min(maxStock, rnd.int(4, 10)) };
  });
}

/** The plates next to a lane's plates that belong to other lanes. */
export function neighbours(lanes: Lane[], lane: Lane): number[] {
  const mine = new Set(lane.plates);
  const all = lanes.flatMap((l) => l.plates);
  const out = new Set<number>();
  for (const p of lane.plates) {
    for (const q of [p - 1, p + 1]) if (all.includes(q) && !mine.has(q)) out.add(q);
  }
  return [...out];
}
