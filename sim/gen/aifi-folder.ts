import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TruthEvent } from "../trace/truth.ts";
import { makeAifiScene } from "./aifi-scene.ts";
import { renderAifi, unixSeconds, type AifiRecording } from "./aifi-render.ts";
import { Random } from "./random.ts";

/*
 * Writes generated AiFi-style recordings in the forms `aisle trace import` reads: a folder of
 * per-plate CSVs with planogram.json and events.csv, or one long-form CSV of every plate.
 */

export interface AifiFolderOptions {
  seed: number;
  durationS: number;
  rateHz?: number;
  /** Samples a timestamp (12 as AiFi's plate messages, 1 for a time per sample). */
  batch?: number;
  /** Slow load transfer between neighbouring plates (aifi-scene.ts, splitNoise). */
  sway?: boolean;
}

export function aifiRecording(o: AifiFolderOptions): AifiRecording {
  const scene = makeAifiScene(o.seed, o.durationS, o.sway ?? false);
  // November 2019, when the store's test cases were recorded, plus a seed's worth of minutes.
  const t0UnixUs = (1573094100 + o.seed * 600) * 1e6 + 123457;
  return renderAifi(scene, { t0UnixUs, rateHz: o.rateHz ?? 60, batch: o.batch ?? 1 }, new Random(o.seed * 31 + 5));
}

export function eventsCsvText(rec: AifiRecording): string {
  const rows = rec.labels.map((l) => [l.type, unixSeconds(l.startUs), unixSeconds(l.endUs), l.plates.join(" "), l.count, l.grams.toFixed(2), l.sku].join(","));
  return ["type,t_start_s,t_end_s,plates,count,grams,sku", ...rows].join("\n") + "\n";
}

/** Writes DIR/PLATE.csv for every plate, DIR/planogram.json and DIR/events.csv. */
export function writeAifiFolder(dir: string, rec: AifiRecording, header = true): void {
  mkdirSync(dir, { recursive: true });
  for (const p of rec.plates) {
    const lines = header ? ["unix_time_s,weight_g"] : [];
    for (let i = 0; i < p.stampUs.length; i++) lines.push(`${unixSeconds(p.stampUs[i])},${p.grams[i]}`);
    writeFileSync(join(dir, `${p.id}.csv`), lines.join("\n") + "\n");
  }
  writeFileSync(join(dir, "planogram.json"), JSON.stringify(rec.planogram, null, 2) + "\n");
  writeFileSync(join(dir, "events.csv"), eventsCsvText(rec));
}

/**
 * AiFi's long form (timestamp, reading, gondola, shelf, plate), every plate's rows in time order,
 * with a second shelf the planogram does not list, as a store's file holds every shelf.
 */
export function longCsvText(rec: AifiRecording): string {
  const rows: { t: number; text: string }[] = [];
  for (const p of rec.plates) {
    for (let i = 0; i < p.stampUs.length; i++) {
      rows.push({ t: p.stampUs[i], text: `${unixSeconds(p.stampUs[i])},${p.grams[i]},${p.gondola},${p.shelf},${p.plate}` });
      if (p.plate <= 2) rows.push({ t: p.stampUs[i], text: `${unixSeconds(p.stampUs[i])},${(812.5 + p.plate).toFixed(1)},${p.gondola},${p.shelf + 1},${p.plate}` });
    }
  }
  rows.sort((a, b) => a.t - b.t);
  return ["timestamp,reading,gondola,shelf,plate", ...rows.map((r) => r.text)].join("\n") + "\n";
}

/** The truth the import of a recording should write, relative to the trace's t = 0 (its first sample). */
export function expectedTruth(rec: AifiRecording): TruthEvent[] {
  const t0 = Math.min(...rec.plates.map((p) => p.stampUs[0]));
  return rec.labels.map((l) => ({ type: l.type, lane: l.lane, tStartMs: (l.startUs - t0) / 1000, tEndMs: (l.endUs - t0) / 1000, grams: l.grams, count: l.count, sku: l.sku }));
}
