/*
 * The shelf scenarios of `aisle gen shelf`. Each builds a scene: plates, lanes, what hands do
 * and when, and HX711 faults. Timings keep one rule a real detector needs: a hand leaves a lane
 * at least 0.6 s before the next hand arrives on it, since no scale can tell two interactions
 * apart while a hand never left.
 */
import { Random } from "./random.ts";
import { CATALOGUE, makeLanes, makePlate, type Lane, type Sku } from "./shelf-model.ts";
import type { Fault, Interaction, ShelfScene } from "./shelf-render.ts";

export interface ScenarioOptions {
  seed: number;
  rateHz: number;
  durationS?: number;
}

interface Builder {
  widths: number[];
  skus?: Sku[];
  noiseG?: number;
  defaultS: number;
  plan: (ctx: Plan) => void;
  tune?: (scene: ShelfScene, rnd: Random) => void;
}

class Plan {
  readonly interactions: Interaction[] = [];
  readonly faults: Fault[] = [];
  private freeAt: number[];

  constructor(readonly rnd: Random, readonly lanes: Lane[], readonly endMs: number, readonly rateHz: number) {
    this.freeAt = lanes.map(() => 2000);
  }

  /** One hand on one lane, starting no earlier than `at`; returns when it leaves. */
  hand(lane: number, at: number, items: number, opts: { durMs?: number; pressG?: number; tremorG?: number } = {}): number {
    const r = this.rnd;
    const start = Math.max(at, this.freeAt[lane]);
    const dur = opts.durMs ?? r.between(600, 1800);
    this.interactions.push({ lane, tStartMs: start, tEndMs: start + dur, items, pressG: opts.pressG ?? r.between(60, 400), tremorG: opts.tremorG ?? r.between(4, 25) });
    this.lanes[lane].stock += items;
    this.freeAt[lane] = start + dur + 600;
    return start + dur;
  }

  /** A pick or a put of 1–3 items that the lane's stock and its plates' 12 kg of stock room allow. */
  move(lane: number, at: number): number {
    const l = this.lanes[lane];
    const room = Math.floor((12000 * l.plates.length) / l.sku.unitG) - l.stock;
    const pick = l.stock > 0 && (room <= 0 || l.stock > 9 || (l.stock > 3 && this.rnd.next() < 0.55));
    const n = Math.max(1, Math.min(this.rnd.int(1, 3), pick ? l.stock : room));
    return this.hand(lane, at, pick ? -n : n);
  }

  /** Keeps hands off a lane until untilMs (a fault on its plate). */
  reserve(lane: number, untilMs: number): void {
    this.freeAt[lane] = Math.max(this.freeAt[lane], untilMs + 600);
  }

  get busyUntil(): number {
    return Math.max(...this.freeAt);
  }

  more(t: number): boolean {
    return t < this.endMs - 6000;
  }
}

const pickLane = (p: Plan) => p.rnd.int(0, p.lanes.length - 1);
const gap = (p: Plan) => p.rnd.between(1500, 4000);

function steady(p: Plan): void {
  for (let t = 2000; p.more(t); t += gap(p)) t = p.move(pickLane(p), t);
}

export const SCENARIOS: Record<string, Builder> = {
  single: { widths: [1, 1, 1, 1], defaultS: 150, plan: steady },
  "two-lanes": {
    widths: [1, 1, 1, 1],
    defaultS: 150,
    plan: (p) => {
      for (let t = 2000; p.more(t); t += gap(p)) {
        const a = pickLane(p);
        const b = (a + 1 + p.rnd.int(0, p.lanes.length - 2)) % p.lanes.length;
        const start = Math.max(t, p.busyUntil);
        t = Math.max(p.move(a, start), p.move(b, start + p.rnd.between(0, 400)));
      }
    },
  },
  "put-back": {
    widths: [1, 1, 1, 1],
    defaultS: 150,
    plan: (p) => {
      for (let t = 2000; p.more(t); t += gap(p)) {
        const lane = pickLane(p);
        const n = Math.min(p.rnd.int(1, 2), Math.max(1, p.lanes[lane].stock - 1));
        const out = p.hand(lane, t, -n, { durMs: p.rnd.between(500, 900) });
        t = p.hand(lane, out + p.rnd.between(800, 1400), n, { durMs: p.rnd.between(500, 900) });
      }
    },
  },
  touch: {
    widths: [1, 1, 1, 1],
    defaultS: 150,
    plan: (p) => {
      for (let t = 2000; p.more(t); t += gap(p)) {
        t = p.rnd.next() < 0.5 ? p.hand(pickLane(p), t, 0, { durMs: p.rnd.between(300, 1500), pressG: p.rnd.between(50, 800) }) : p.move(pickLane(p), t);
      }
    },
  },
  lean: {
    widths: [1, 1, 1, 1],
    defaultS: 180,
    plan: (p) => {
      for (let t = 2000; p.more(t); t += gap(p)) {
        t = p.rnd.next() < 0.35
          ? p.hand(pickLane(p), t, 0, { durMs: p.rnd.between(9500, 10500), pressG: p.rnd.between(300, 3000), tremorG: p.rnd.between(15, 40) })
          : p.move(pickLane(p), t);
      }
    },
  },
  drift: {
    widths: [1, 1, 1, 1],
    defaultS: 200,
    plan: steady,
    tune: (s, r) => s.plates.forEach((pl) => (pl.driftGPerH = r.between(60, 240) * (r.next() < 0.5 ? -1 : 1))),
  },
  creep: {
    widths: [1, 1, 1, 1],
    skus: [CATALOGUE[6], CATALOGUE[7], CATALOGUE[8], CATALOGUE[5]],
    defaultS: 150,
    plan: steady,
    tune: (s, r) => {
      s.creepShare = r.between(0.0015, 0.004);
      s.creepTauS = r.between(20, 90);
    },
  },
  "close-weights": {
    widths: [1, 1, 1, 1],
    skus: [{ sku: "cola-330", unitG: 352 }, { sku: "cola-zero-330", unitG: 349.5 }, { sku: "lemonade-330", unitG: 355.5 }, { sku: "tonic-330", unitG: 347 }],
    defaultS: 150,
    plan: steady,
  },
  "multi-plate": { widths: [2, 3, 1, 2], defaultS: 150, plan: steady },
  noisy: { widths: [1, 1, 1, 1], noiseG: 3, defaultS: 150, plan: steady },
  faults: {
    widths: [1, 1, 1, 1],
    defaultS: 180,
    plan: (p) => {
      const kinds: Fault["kind"][] = ["glitch", "saturation", "stuck", "disconnect", "glitch"];
      let k = 0;
      for (let t = 2000; p.more(t); t += gap(p)) {
        t = p.move(pickLane(p), t);
        // Between interactions, one plate misbehaves: never while its lane has a hand on it.
        const at = Math.max(t + 700, p.busyUntil - 500);
        const kind = kinds[k++ % kinds.length];
        const lane = pickLane(p);
        const plate = p.lanes[lane].plates[0];
        // A glitch is one sample; a stuck converter must outlast the firmware's one second.
        const len = kind === "glitch" ? 1000 / p.rateHz - 1 : kind === "disconnect" ? p.rnd.between(800, 2000) : kind === "stuck" ? p.rnd.between(1500, 2500) : p.rnd.between(300, 1500);
        p.faults.push({ plate, kind, tStartMs: at, tEndMs: at + len });
        p.reserve(lane, at + len);
        t = at + len + 300;
      }
    },
  },
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS);

export function buildScene(name: string, opts: ScenarioOptions): ShelfScene {
  const b = SCENARIOS[name];
  if (b === undefined) throw new Error(`no shelf scenario ${JSON.stringify(name)}; scenarios: ${SCENARIO_NAMES.join(", ")}`);
  const rnd = new Random(opts.seed * 7919 + SCENARIO_NAMES.indexOf(name) * 104729 + opts.rateHz);
  const plates = Array.from({ length: b.widths.reduce((a, w) => a + w, 0) }, (_, i) => makePlate(rnd, i, b.noiseG));
  const lanes = makeLanes(rnd, b.widths, b.skus);
  const initial = lanes.map((l) => l.stock);
  const durationS = opts.durationS ?? b.defaultS;
  const plan = new Plan(rnd, lanes, durationS * 1000, opts.rateHz);
  b.plan(plan);
  lanes.forEach((l, i) => (l.stock = initial[i]));
  const scene: ShelfScene = { plates, lanes, interactions: plan.interactions.filter((i) => i.tEndMs < durationS * 1000 - 3000), faults: plan.faults, durationS, rateHz: opts.rateHz, creepShare: 0, creepTauS: 60, name, seed: opts.seed };
  b.tune?.(scene, rnd);
  return scene;
}
