import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReplayEntry } from "../sim/replay.ts";
import { laneSeries } from "../sim/report/lane-series.ts";
import { MinMaxBuckets } from "../sim/report/min-max-buckets.ts";
import { reportModel } from "../sim/report/report-model.ts";
import { shelfSeries } from "../sim/report/shelf-series.ts";
import { writeReport } from "../sim/report/write-report.ts";
import { scoreEvents, type DetectedEvent } from "../sim/score.ts";
import { NO_SAMPLE, type ShelfStream } from "../sim/trace/trace-stream.ts";
import type { TruthEvent } from "../sim/trace/truth.ts";

/** A long 80 SPS two-channel trace made chunk by chunk, never held whole; one sample of p0 spikes. */
function longStream(hours: number, spikeAtUs: number): ShelfStream {
  const rows = Math.round(hours * 3600 * 80);
  const tUs = new Float64Array(4096);
  const counts = [new Int32Array(4096), new Int32Array(4096)];
  let i = 0;
  return {
    header: {
      kind: "shelf", file: "long", meta: {}, rateHz: 80, unit: "counts",
      channels: [{ id: "p0", offset: 1000, gramsPerCount: 0.01 }, { id: "p1", offset: 0, gramsPerCount: 0.02 }],
      lanes: [{ id: "A1", channels: [0, 1] }],
    },
    sampleCount: rows * 2,
    endUs: (rows - 1) * 12500,
    close() {},
    next() {
      let n = 0;
      for (; n < 4096 && i < rows; n++, i++) {
        tUs[n] = i * 12500;
        counts[0][n] = tUs[n] === spikeAtUs ? 501000 : 101000 + (i % 7); // 1000 g, a 5000 g spike
        counts[1][n] = i % 2 === 0 ? 25000 : NO_SAMPLE; // 500 g, at half the rate
      }
      return n > 0 ? { rows: n, tUs, counts } : undefined;
    },
  };
}

describe("the report's lane series", () => {
  it("sums a lane's channels in grams from the trace's calibration", () => {
    const s = laneSeries("test/fixtures/traces/spec-shelf.trace.csv");
    expect(s.kind).toBe("shelf");
    if (s.kind !== "shelf") return;
    expect(s.lanes.map((l) => l.lane)).toEqual(["A1"]);
    // trace-format.md's example: (1642980 − 81250) × 0.00233 + (1202213 + 4410) × 0.00241
    expect(s.lanes[0].grams[0]).toBeCloseTo(Math.round(((1642980 - 81250) * 0.00233 + (1202213 + 4410) * 0.00241) * 10) / 10, 6);
    expect(s.lanes[0].tMs[0]).toBe(0);
  });

  it("keeps a multi-hour trace to at most 2,000 points a lane, and a one-sample spike stays visible", () => {
    const spikeUs = 12500 * 1_000_003;
    const s = shelfSeries(longStream(4, spikeUs), 2000);
    if (s.kind !== "shelf") throw new Error("shelf expected");
    const lane = s.lanes[0];
    expect(lane.tMs.length).toBeLessThanOrEqual(2000);
    expect(lane.tMs.length).toBeGreaterThan(1000);
    expect(Math.max(...lane.grams)).toBe(5500);
    expect(lane.tMs[lane.grams.indexOf(5500)]).toBe(spikeUs / 1000);
    expect(Math.min(...lane.grams)).toBe(1500);
    for (let i = 1; i < lane.tMs.length; i++) expect(lane.tMs[i]).toBeGreaterThan(lane.tMs[i - 1]);
    expect(s.endMs).toBeCloseTo(4 * 3600 * 1000 - 12.5, 6);
  });

  it("keeps every sample in the windows the report zooms to, and the coarse series elsewhere", () => {
    const windowMs = { t0Ms: 3_600_000, t1Ms: 3_606_000 }; // an hour in, 6 s: 480 rows, 240 of them with p1
    const s = shelfSeries(longStream(4, -1), 2000, [{ lane: "A1", ...windowMs }, { lane: "B9", t0Ms: 0, t1Ms: 1e9 }]);
    if (s.kind !== "shelf") throw new Error("shelf expected");
    const t = s.lanes[0].tMs;
    const inside = t.filter((x) => x >= windowMs.t0Ms && x <= windowMs.t1Ms);
    expect(inside.length).toBe(481); // every row from the window's start to its end, inclusive
    expect(t.length).toBeLessThanOrEqual(2000 + 800);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
  });

  it("downsamples in one pass exactly as buckets of the final width would", () => {
    const b = new MinMaxBuckets(8, 1);
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 100 + (i === 613 ? 900 : 0));
    values.forEach((v, i) => b.add(i * 10, v));
    const { tUs, values: kept } = b.points();
    const width = 2048; // 1 µs doubled until 8 buckets span 10,000 µs
    for (let k = 0; k < 8; k++) {
      const inBucket = values.map((v, i) => ({ v, t: i * 10 })).filter((p) => Math.floor(p.t / width) === k);
      if (inBucket.length === 0) continue;
      const lo = Math.min(...inBucket.map((p) => p.v));
      const hi = Math.max(...inBucket.map((p) => p.v));
      const here = kept.filter((_, j) => Math.floor(tUs[j] / width) === k);
      expect([...here].sort((x, y) => x - y)).toEqual([lo, hi]);
    }
    expect(kept).toContain(900 + Math.sin(613 * 0.37) * 100);
  });

  it("gives each gate lane its beams and door as steps, the emergency input, and its admissions", () => {
    const s = laneSeries("data/demo/gate-demo.trace.csv");
    if (s.kind !== "gate") throw new Error("gate expected");
    const g1 = s.lanes[0];
    expect(g1.signals.map((x) => x.name)).toEqual(["beam_outer", "beam_inner", "door_open", "emergency"]);
    for (const sig of g1.signals) {
      expect(sig.tMs[0]).toBe(0);
      expect(sig.v.every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(g1.signals[2].v[0]).toBe(0); // the door starts closed
    expect(g1.admitsMs.length).toBeGreaterThan(0);
  });
});

describe("the report's issues", () => {
  const truth: TruthEvent[] = [
    { type: "pick", lane: "A1", tStartMs: 1000, tEndMs: 2000, grams: -704, count: 2 },
    { type: "put", lane: "A1", tStartMs: 9000, tEndMs: 9500, grams: 352, count: 1 },
  ];
  const det = (t_ms: number, type: string, count: number): DetectedEvent => ({ type, lane: "A1", t_ms, grams: 352 * count * (type === "pick" ? -1 : 1), count, t_start_ms: t_ms - 800 });
  const entry = (runner: "source" | "lua51", events: DetectedEvent[]): ReplayEntry => ({
    trace: "x.trace.csv", runner, board: "b", samples: 1, events, payloads: events.map((e) => JSON.stringify(e)), health: [], outputs: [],
    truth, score: scoreEvents("shelf", events, truth), wallMs: 0, firmwareErrors: [],
  });

  it("lists misses, phantoms and wrong counts from the score's pairs, once for runners that agree", () => {
    const events = [det(2500, "pick", 1), det(5000, "put", 1)];
    const [t] = reportModel([entry("source", events), entry("lua51", events)]);
    expect(t.parity).toBe(true);
    expect(t.chart.groups).toHaveLength(1);
    expect(t.issues.map((i) => [i.id, i.kind, i.runners])).toEqual([
      ["t0-i0", "count", ["source", "lua51"]],
      ["t0-i1", "phantom", ["source", "lua51"]],
      ["t0-i2", "miss", ["source", "lua51"]],
    ]);
    expect(t.issues[0].text).toBe("detected pick of 1 for truth pick 2 × (−704 g) 1.0 s–2.0 s");
  });

  it("keeps runners that disagree apart, each issue naming its runners", () => {
    const [t] = reportModel([entry("source", [det(2500, "pick", 2)]), entry("lua51", [det(2500, "pick", 2), det(9900, "put", 1)])]);
    expect(t.parity).toBe(false);
    expect(t.chart.groups.map((g) => g.members)).toEqual([["source"], ["lua51"]]);
    expect(t.issues.map((i) => [i.kind, i.runners])).toEqual([["miss", ["source"]]]);
  });
});

describe("writing the report", () => {
  it("leaves the previous report whole, and no temporary file, when writing fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-report-"));
    const out = join(dir, "r.html");
    writeFileSync(out, "the previous report");
    const e: ReplayEntry = {
      trace: "data/demo/gate-demo.trace.csv", runner: "source", board: "b", samples: 1, events: [], payloads: [], health: [], outputs: [],
      truth: undefined, score: undefined, wallMs: 0, firmwareErrors: [],
    };
    expect(() => writeReport(out, [e], [], { seriesOf: () => { throw new Error("disk full"); } })).toThrow(`cannot write the report ${out}: disk full`);
    expect(readFileSync(out, "utf8")).toBe("the previous report");
    expect(readdirSync(dir)).toEqual(["r.html"]);
    expect(() => writeReport(join(dir, "no-such-folder", "r.html"), [e])).toThrow(/cannot write the report .*no-such-folder.*ENOENT/);
  });
});
