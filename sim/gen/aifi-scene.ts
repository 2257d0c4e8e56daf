/*
 * A shelf of the kind the AiFi/CMU store recordings come from (AIM3S, BuildSys 2019; the CPS-IoT
 * 2020 AutoCheckout data): 12 plates of up to 20 kg on a shelf of a gondola, products spanning
 * one or two plates, unit weights of real snacks and drinks. Hands pick, put, put back, touch,
 * and sometimes work two lanes at once. Noise, leakage and drift follow design.md's figures.
 */
import { Random } from "./random.ts";
import { makePlate, type Lane, type Plate } from "./shelf-model.ts";
import type { Interaction } from "./shelf-render.ts";

/** Products and unit weights as the store's ground truth lists them (UPC, grams). */
export const AIFI_PRODUCTS = [
  { sku: "084114115881", name: "kettle chips jalapeno", unitG: 62.3 },
  { sku: "071063437089", name: "taco chips", unitG: 105.53 },
  { sku: "016000502789", name: "garlic rye chips", unitG: 137.67 },
  { sku: "835144009066", name: "chili mango", unitG: 244 },
  { sku: "835144008984", name: "peach rings", unitG: 270.67 },
  { sku: "632565000012", name: "water 0.5 l", unitG: 538 },
  { sku: "812475012262", name: "aloe drink", unitG: 545.67 },
  { sku: "632565000029", name: "water 1 l", unitG: 1059.67 },
];

/**
 * Sway of the frame between plates b and b+1: load moving from one to the other (zero-sum), as a
 * few slow sinusoids. `std` in grams.
 */
export interface Sway {
  std: number;
  freqsHz: number[];
  phases: number[];
}

export interface AifiScene {
  gondola: number;
  shelf: number;
  /** noiseG of each plate is its own white noise; the rest of its noise is sway with its neighbours. */
  plates: Plate[];
  sway: Sway[];
  lanes: (Lane & { name: string })[];
  interactions: Interaction[];
  durationS: number;
  seed: number;
}

/** Plates each product spans, left to right: 12 plates. */
const WIDTHS = [2, 1, 2, 1, 2, 2, 2];

/**
 * `sway`: whether the part of each plate's noise beyond its share of the shelf's sum moves load
 * between neighbouring plates (see splitNoise), or is left out.
 */
export function makeAifiScene(seed: number, durationS: number, sway = false): AifiScene {
  const rnd = new Random(seed * 6151 + 17);
  const plates = Array.from({ length: WIDTHS.reduce((a, w) => a + w, 0) }, (_, i) => makePlate(rnd, i));
  plates.forEach((p) => (p.driftGPerH = rnd.between(-100, 100)));
  const swayed = splitNoise(rnd, plates, sway);
  let next = 0;
  const lanes = WIDTHS.map((w, i) => {
    const product = AIFI_PRODUCTS[(i + seed) % AIFI_PRODUCTS.length];
    const lanePlates = Array.from({ length: w }, (_, k) => next + k);
    next += w;
    const room = Math.floor((6000 * w) / product.unitG);
    return { id: `L${i + 1}`, plates: lanePlates, sku: { sku: product.sku, unitG: product.unitG }, name: product.name, stock: Math.max(3, Math.min(12, room, rnd.int(5, 12))) };
  });
  return { gondola: 1 + (seed % 5), shelf: 1 + (seed % 6), plates, sway: swayed, lanes, interactions: plan(rnd, lanes, durationS * 1000), durationS, seed };
}

/**
 * design.md measured a plate's noise (median 0.74 g, 90th percentile 3.1 g) and a 12-plate
 * shelf's sum (1.5–2.6 g), so more than half of what a plate shows cancels in the sum: twelve
 * independent plates of the first figure would sum to 3–5 g. Each plate keeps its share of a sum
 * of 1.5–2.6 g as white noise. With `sway`, the rest becomes slow load transfer with its
 * neighbours (a frame swaying at 0.3–4 Hz), so the plate still shows its drawn figure; how fast
 * real shelves sway was not measured, so by default the rest is left out.
 */
function splitNoise(rnd: Random, plates: Plate[], sway: boolean): Sway[] {
  const total = plates.map((p) => p.noiseG);
  const sumG = rnd.between(1.5, 2.6);
  const k = Math.min(1, sumG / Math.sqrt(total.reduce((a, t) => a + t * t, 0)));
  const rest = total.map((t) => t * t * (1 - k * k));
  plates.forEach((p, i) => (p.noiseG = total[i] * k));
  return plates.slice(1).map((_, b) => ({
    std: sway ? Math.sqrt((rest[b] + rest[b + 1]) / 4) : 0,
    freqsHz: [0, 1, 2, 3, 4, 5].map(() => rnd.between(0.3, 4)),
    phases: [0, 1, 2, 3, 4, 5].map(() => rnd.between(0, 2 * Math.PI)),
  }));
}

/**
 * Who does what, and when. A hand leaves a lane at least 0.6 s before the next arrives on it: no
 * scale can tell two interactions apart while a hand never left.
 */
function plan(rnd: Random, lanes: Lane[], endMs: number): Interaction[] {
  const out: Interaction[] = [];
  const stock = lanes.map((l) => l.stock);
  const freeAt = lanes.map(() => 3000);
  const hand = (lane: number, at: number, items: number, durMs = rnd.between(600, 1800), pressG = rnd.between(60, 400)): number => {
    const start = Math.max(at, freeAt[lane]);
    out.push({ lane, tStartMs: start, tEndMs: start + durMs, items, pressG, tremorG: rnd.between(4, 25) });
    stock[lane] += items;
    freeAt[lane] = start + durMs + 600;
    return start + durMs;
  };
  const move = (lane: number, at: number): number => {
    const room = Math.floor((12000 * lanes[lane].plates.length) / lanes[lane].sku.unitG) - stock[lane];
    const pick = stock[lane] > 0 && (room <= 0 || stock[lane] > 8 || (stock[lane] > 2 && rnd.next() < 0.6));
    const n = Math.max(1, Math.min(rnd.int(1, 2), pick ? stock[lane] : room));
    return hand(lane, at, pick ? -n : n);
  };
  const anyLane = () => rnd.int(0, lanes.length - 1);
  for (let t = 3000; t < endMs - 8000; t += rnd.between(1500, 4000)) {
    const r = rnd.next();
    if (r < 0.55) {
      t = move(anyLane(), t);
    } else if (r < 0.7) {
      const a = anyLane();
      const b = (a + 1 + rnd.int(0, lanes.length - 2)) % lanes.length;
      const start = Math.max(t, freeAt[a], freeAt[b]);
      t = Math.max(move(a, start), move(b, start + rnd.between(0, 400)));
    } else if (r < 0.85) {
      const lane = anyLane();
      if (stock[lane] < 2) continue;
      const n = rnd.int(1, Math.min(2, stock[lane] - 1));
      const away = hand(lane, t, -n, rnd.between(500, 900));
      t = hand(lane, away + rnd.between(800, 1400), n, rnd.between(500, 900));
    } else {
      t = hand(anyLane(), t, 0, rnd.between(300, 1500), rnd.between(50, 800));
    }
  }
  return out.filter((i) => i.tEndMs < endMs - 3000);
}
