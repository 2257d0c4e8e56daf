/*
 * Samples an AiFi-style scene the way the store's recordings hold it: each plate on its own
 * 60 Hz clock (its own phase, a crystal off by up to ±80 ppm, 0.2 ms of jitter), in grams that
 * were never zeroed, with unix times. In `batch` mode a plate's samples carry their message's
 * timestamp, 12 to a message, as the store's plate messages do.
 */
import type { Random } from "./random.ts";
import { neighbours } from "./shelf-model.ts";
import type { AifiScene } from "./aifi-scene.ts";

export interface AifiRenderOptions {
  t0UnixUs: number;
  rateHz: number;
  /** Samples a timestamp: 1 for a time per sample, 12 for AiFi's messages. */
  batch: number;
}

export interface AifiPlateData {
  id: string;
  gondola: number;
  shelf: number;
  plate: number;
  /** The time the recording writes for each sample (the message's, in batch mode), unix µs. */
  stampUs: number[];
  grams: number[];
}

export interface AifiLabel {
  type: "pick" | "put";
  lane: string;
  plates: string[];
  startUs: number;
  endUs: number;
  grams: number;
  count: number;
  sku: string;
}

export interface AifiRecording {
  plates: AifiPlateData[];
  labels: AifiLabel[];
  planogram: { device: string; source: string; plates: { id: string; gondola: number; shelf: number; plate: number }[]; lanes: { id: string; plates: string[]; sku: string; unit_g: number; name: string }[] };
}

export function renderAifi(scene: AifiScene, o: AifiRenderOptions, rnd: Random): AifiRecording {
  const { plates, lanes } = scene;
  const ids = plates.map((_, i) => `g${scene.gondola}-s${scene.shelf}-p${i + 1}`);
  const leaks = lanes.map((l) => neighbours(lanes, l).map((p) => ({ plate: p, share: rnd.between(0.023, 0.05) })));
  // Each item moved is a step of weight at the middle of its interaction, split as renderShelf does.
  const steps: { tUs: number; g: number }[][] = plates.map(() => []);
  const labels: AifiLabel[] = [];
  for (const it of scene.interactions) {
    if (it.items === 0) continue;
    const lane = lanes[it.lane];
    const tUs = o.t0UnixUs + Math.round(((it.tStartMs + it.tEndMs) / 2) * 1000);
    const deltaG = it.items * lane.sku.unitG;
    let leaked = 0;
    for (const leak of leaks[it.lane]) {
      steps[leak.plate].push({ tUs, g: deltaG * leak.share });
      leaked += deltaG * leak.share;
    }
    for (const p of lane.plates) steps[p].push({ tUs, g: (deltaG - leaked) / lane.plates.length });
    labels.push({
      type: it.items < 0 ? "pick" : "put", lane: lane.id, plates: lane.plates.map((p) => ids[p]),
      startUs: o.t0UnixUs + Math.round(it.tStartMs * 1000), endUs: o.t0UnixUs + Math.round(it.tEndMs * 1000),
      grams: Math.round(deltaG * 100) / 100, count: Math.abs(it.items), sku: lane.sku.sku,
    });
  }
  for (const s of steps) s.sort((a, b) => a.tUs - b.tUs);
  const press = (p: number, tUs: number): number => {
    let g = 0;
    scene.interactions.forEach((it, k) => {
      const x = ((tUs - o.t0UnixUs) / 1000 - it.tStartMs) / (it.tEndMs - it.tStartMs);
      if (x < 0 || x > 1) return;
      const f = it.pressG * Math.sin(Math.PI * x) + it.tremorG * Math.sin(2 * Math.PI * 4.3 * ((tUs - o.t0UnixUs) / 1e6) + k) * Math.sin(Math.PI * x);
      if (lanes[it.lane].plates.includes(p)) g += f / lanes[it.lane].plates.length;
      for (const leak of leaks[it.lane]) if (leak.plate === p) g += f * leak.share;
    });
    return g;
  };
  const swayAt = (b: number, tUs: number): number => {
    const w = scene.sway[b];
    if (w.std === 0) return 0;
    const tS = (tUs - o.t0UnixUs) / 1e6;
    let z = 0;
    for (let k = 0; k < w.freqsHz.length; k++) z += Math.sin(2 * Math.PI * w.freqsHz[k] * tS + w.phases[k]);
    return z * w.std * Math.sqrt(2 / w.freqsHz.length);
  };
  const endUs = o.t0UnixUs + scene.durationS * 1e6;
  const out = plates.map((pl, p) => {
    const periodUs = (1e6 / o.rateHz) * (1 + rnd.between(-80, 80) * 1e-6);
    let t = o.t0UnixUs + rnd.between(0, periodUs);
    let load = pl.baseG;
    for (const l of lanes) if (l.plates.includes(p)) load += (l.stock * l.sku.unitG) / l.plates.length;
    const data: AifiPlateData = { id: ids[p], gondola: scene.gondola, shelf: scene.shelf, plate: p + 1, stampUs: [], grams: [] };
    let next = 0;
    let batchStamp = 0;
    let last = -Infinity;
    for (let i = 0; t < endUs; i++, t += periodUs) {
      const tUs = Math.max(last + 1, Math.round(t + 200 * rnd.gauss()));
      last = tUs;
      while (next < steps[p].length && steps[p][next].tUs <= tUs) load += steps[p][next++].g;
      const sway = (p < scene.sway.length ? swayAt(p, tUs) : 0) - (p > 0 ? swayAt(p - 1, tUs) : 0);
      const g = load + press(p, tUs) + (pl.driftGPerH * (tUs - o.t0UnixUs)) / 3.6e9 + pl.noiseG * rnd.gauss() + sway;
      if (i % o.batch === 0) batchStamp = tUs;
      data.stampUs.push(o.batch > 1 ? batchStamp : tUs);
      data.grams.push(Math.round(g * 1000) / 1000);
    }
    return data;
  });
  const planogram = {
    device: `aifi-g${scene.gondola}-s${scene.shelf}`,
    source: `generated AiFi-style shelf, seed ${scene.seed}`,
    plates: out.map((d) => ({ id: d.id, gondola: d.gondola, shelf: d.shelf, plate: d.plate })),
    lanes: lanes.map((l) => ({ id: l.id, plates: l.plates.map((p) => ids[p]), sku: l.sku.sku, unit_g: l.sku.unitG, name: l.name })),
  };
  return { plates: out, labels, planogram };
}

/** Unix µs as seconds with six decimals, as the recordings write them. */
export function unixSeconds(us: number): string {
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`;
}
