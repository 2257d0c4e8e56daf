import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { aifiRecording, expectedTruth, longCsvText, writeAifiFolder } from "../sim/gen/aifi-folder.ts";
import type { AifiRecording } from "../sim/gen/aifi-render.ts";
import { importRecording, type ImportSummary } from "../sim/import/import-recording.ts";
import { boardFor, parityOf, replayTrace, type ReplayEntry } from "../sim/replay.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import type { ShelfTrace } from "../sim/trace/trace-types.ts";
import { parseTruth } from "../sim/trace/truth.ts";

/*
 * `aisle trace import` on generated AiFi-style recordings (12 plates at 60 Hz on their own
 * clocks, unix times, grams never zeroed, design.md's noise and leakage, labelled picks and puts),
 * replayed through the firmware like native traces. Error cases and the generic CSV are in
 * trace-import-errors.test.ts and trace-import-csv.test.ts.
 */

const tmp = mkdtempSync(join(tmpdir(), "aisle-import-"));
const RUNNERS = ["source", "lua53", "lua51"] as const;

interface Case {
  name: string;
  seed: number;
  batch: number;
  header: boolean;
  rec?: AifiRecording;
  summary?: ImportSummary;
  entries?: ReplayEntry[];
}

// A timestamp a sample, with headers; and 12 samples a timestamp (AiFi's plate messages), without.
const CASES: Case[] = [
  { name: "per-sample", seed: 3, batch: 1, header: true },
  { name: "batched", seed: 2, batch: 12, header: false },
];

describe("importing AiFi-style per-plate CSV folders", () => {
  beforeAll(async () => {
    for (const c of CASES) {
      c.rec = aifiRecording({ seed: c.seed, durationS: 120, batch: c.batch });
      writeAifiFolder(join(tmp, c.name), c.rec, c.header);
      c.summary = importRecording({ input: join(tmp, c.name), out: join(tmp, "out", c.name), timeBase: "auto" });
      c.entries = await replayTrace(c.summary.trace, { runners: c.name === "batched" ? [...RUNNERS] : ["source", "lua53"] }, (r) => boardFor(r));
    }
  }, 600_000);

  it("writes trace format 1 in grams at the measured 60 Hz, one channel a plate, lanes from the planogram", () => {
    for (const c of CASES) {
      const s = c.summary!;
      expect(s).toMatchObject({ form: "aifi-folder", channels: 12, rate_hz: 60, missing: 0, events: c.rec!.labels.length });
      const perPlate = c.rec!.plates.map((p) => p.grams.length);
      expect(s.samples).toBe(perPlate.reduce((a, n) => a + n, 0));
      expect(s.spread).toBe(c.batch === 12 ? perPlate.reduce((a, n) => a + n - Math.ceil(n / 12), 0) : 0);
      const t = readTrace(s.trace) as ShelfTrace;
      expect(t.unit).toBe("grams");
      expect(t.rateHz).toBe(60);
      expect(t.device).toBe(c.rec!.planogram.device);
      expect(t.channels.map((ch) => ch.id)).toEqual(c.rec!.plates.map((p) => p.id));
      expect(t.lanes.map((l) => [l.id, l.channels.map((i) => t.channels[i].id), l.sku, l.unitG])).toEqual(c.rec!.planogram.lanes.map((l) => [l.id, l.plates, l.sku, l.unit_g]));
      const t0 = Math.min(...c.rec!.plates.map((p) => p.stampUs[0]));
      expect(t.meta.recorded).toBe(new Date(Math.floor(t0 / 1000)).toISOString().slice(0, -1) + String(t0 % 1000).padStart(3, "0") + "Z");
      expect(t.sampleCount).toBe(s.samples);
    }
  });

  it("merges plates sampled at different instants: a row per instant, empty cells for the others", () => {
    const lines = readFileSync(CASES[0].summary!.trace, "utf8").split("\n").filter((l) => /^\d/.test(l));
    const filled = lines.slice(0, 200).map((l) => l.split(",").slice(1).filter((c) => c !== "").length);
    expect(Math.max(...filled)).toBeLessThan(12);
    expect(filled.filter((n) => n === 1).length).toBeGreaterThan(150);
    const t = readTrace(CASES[0].summary!.trace) as ShelfTrace;
    t.samples.forEach((s, i) => {
      expect(s.tUs.length).toBe(CASES[0].rec!.plates[i].stampUs.length);
      const t0 = Math.min(...CASES[0].rec!.plates.map((p) => p.stampUs[0]));
      expect(s.tUs.slice(0, 50)).toEqual(CASES[0].rec!.plates[i].stampUs.slice(0, 50).map((u) => u - t0));
    });
  });

  it("spreads a message's 12 samples evenly up to the next message, at the plate's own ~16.7 ms", () => {
    const t = readTrace(CASES[1].summary!.trace) as ShelfTrace;
    const plate = CASES[1].rec!.plates[4];
    const t0 = Math.min(...CASES[1].rec!.plates.map((p) => p.stampUs[0]));
    const s = t.samples[4];
    for (let i = 0; i < 24; i++) {
      const batch = i - (i % 12);
      const want = plate.stampUs[batch] - t0 + ((i % 12) * (plate.stampUs[batch + 12] - plate.stampUs[batch])) / 12;
      expect(Math.abs(s.tUs[i] - want)).toBeLessThanOrEqual(0.5);
    }
    const gaps = s.tUs.slice(1).map((u, i) => u - s.tUs[i]);
    for (const g of gaps) expect(Math.abs(g - 16667)).toBeLessThan(700);
  });

  it("maps the grams into the HX711's 24 bits at a resolution finer than 0.01 g, and back within half a count", () => {
    for (const c of CASES) {
      const t = readTrace(c.summary!.trace) as ShelfTrace;
      t.channels.forEach((ch, i) => {
        expect(ch.gramsPerCount).toBeLessThan(0.01);
        const counts = t.samples[i].counts;
        expect(Math.max(...counts)).toBeLessThan(8388607);
        expect(Math.min(...counts)).toBeGreaterThan(-8388608);
        c.rec!.plates[i].grams.slice(0, 500).forEach((g, k) => expect(Math.abs((counts[k] - ch.offset) * ch.gramsPerCount - g)).toBeLessThanOrEqual(ch.gramsPerCount / 2 + 1e-9));
      });
    }
  });

  it("turns the labels into NAME.truth.jsonl beside the trace, on the trace's time base", () => {
    for (const c of CASES) {
      const truth = parseTruth(readFileSync(c.summary!.truth!, "utf8"), c.summary!.truth!, "shelf");
      const want = expectedTruth(c.rec!);
      expect(truth.length).toBe(want.length);
      truth.forEach((e, i) => {
        expect({ ...e, tStartMs: 0, tEndMs: 0 }).toEqual({ ...want[i], tStartMs: 0, tEndMs: 0 });
        expect(Math.abs(e.tStartMs - want[i].tStartMs)).toBeLessThanOrEqual(0.001);
        expect(Math.abs(e.tEndMs - want[i].tEndMs)).toBeLessThanOrEqual(0.001);
      });
    }
  });

  it("replays like a native trace on the source runner and on Lua: every labelled event found, counts right, no phantoms, the same events everywhere", () => {
    for (const c of CASES) {
      expect(parityOf(c.entries!)).toBe(true);
      for (const e of c.entries!) {
        expect(e.firmwareErrors, `${e.runner} on ${c.name}`).toEqual([]);
        const s = e.score!;
        const errs = s.pairs.map((p) => Math.abs((p.detected.grams as number) - p.truth.grams!));
        console.log(`${c.name} (seed ${c.seed}) on ${e.runner}: ${s.truth} labelled, ${s.detected} detected, ${s.matched} matched, count accuracy ${s.count_accuracy}, grams MAE ${s.grams_mae!.toFixed(2)} g, worst ${Math.max(...errs).toFixed(2)} g`);
        expect(s.truth).toBeGreaterThanOrEqual(25);
        expect(s.misses).toEqual([]);
        expect(s.phantoms).toEqual([]);
        expect(s.count_accuracy).toBe(1);
        expect(s.grams_mae).toBeLessThanOrEqual(3);
      }
    }
  });

  it("weighs every labelled event within 5 g (issue #3's check on real recordings)", () => {
    for (const c of CASES) {
      const s = c.entries![0].score!;
      for (const p of s.pairs) expect(Math.abs((p.detected.grams as number) - p.truth.grams!), `${c.name}: ${JSON.stringify(p)}`).toBeLessThanOrEqual(5);
    }
  });

  it("reads AiFi's long-form CSV (timestamp, reading, gondola, shelf, plate) to the same rows, skipping shelves the planogram does not list", () => {
    const c = CASES[1];
    const file = join(tmp, "weight.csv");
    writeFileSync(file, longCsvText(c.rec!));
    writeFileSync(join(tmp, "long-planogram.json"), JSON.stringify(c.rec!.planogram));
    const s = importRecording({ input: file, planogram: join(tmp, "long-planogram.json"), labels: join(tmp, "batched", "events.csv"), out: join(tmp, "out", "long"), timeBase: "auto" });
    expect(s.form).toBe("aifi-long");
    expect(s.skippedRows).toBe(c.rec!.plates[0].grams.length + c.rec!.plates[1].grams.length);
    const rows = (p: string) => readFileSync(p, "utf8").split("\n").filter((l) => !l.startsWith("# source"));
    expect(rows(s.trace)).toEqual(rows(c.summary!.trace));
    expect(readFileSync(s.truth!, "utf8")).toBe(readFileSync(c.summary!.truth!, "utf8"));
  });

  it("gives byte-identical output for the same recording", () => {
    const again = importRecording({ input: join(tmp, "per-sample"), out: join(tmp, "again", "x"), timeBase: "auto" });
    expect(readFileSync(again.trace, "utf8")).toBe(readFileSync(CASES[0].summary!.trace, "utf8"));
  });

  it("runs as aisle trace import, printing what it wrote", () => {
    mkdirSync(join(tmp, "cli"), { recursive: true });
    const r = spawnSync(process.execPath, ["tools/aisle.mjs", "trace", "import", join(tmp, "batched"), "--out", join(tmp, "cli", "shelf"), "--json"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ form: "aifi-folder", trace: join(tmp, "cli", "shelf.trace.csv"), truth: join(tmp, "cli", "shelf.truth.jsonl"), channels: 12, rate_hz: 60 });
    expect(readdirSync(join(tmp, "cli")).sort()).toEqual(["shelf.trace.csv", "shelf.truth.jsonl"]);
  });
});
