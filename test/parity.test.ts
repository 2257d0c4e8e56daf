import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allRunners, boardFor, parityOf, replayTrace, type ReplayEntry } from "../sim/replay.ts";
import { traceText } from "../sim/gen/trace-writer.ts";
import { Random } from "../sim/gen/random.ts";

const pick = (r: Parameters<typeof boardFor>[0]) => boardFor(r);
const replayAll = (path: string) => replayTrace(path, { runners: allRunners() }, pick);

function expectParity(entries: ReplayEntry[]): void {
  expect(entries.map((e) => e.runner)).toEqual(["source", "espruino", "lua51", "luajit", "lua53"]);
  for (const e of entries) expect(e.firmwareErrors).toEqual([]);
  const [first, ...rest] = entries;
  for (const e of rest) expect(e.payloads, `${e.runner} against ${first.runner}`).toEqual(first.payloads);
  expect(parityOf(entries)).toBe(true);
}

describe("parity: every runner publishes the same events", () => {
  it("on the bundled shelf demo, and finds every pick and put", async () => {
    const entries = await replayAll("data/demo/shelf-demo.trace.csv");
    expectParity(entries);
    const s = entries[0].score!;
    expect(s.truth).toBe(11);
    expect([s.precision, s.recall, s.count_accuracy]).toEqual([1, 1, 1]);
    expect(s.grams_mae!).toBeLessThan(1);
  });

  it("on the bundled gate demo, and counts every passage", async () => {
    const entries = await replayAll("data/demo/gate-demo.trace.csv");
    expectParity(entries);
    expect(entries[0].score!.f1).toBe(1);
  });

  it("on a trace shaped elsewhere: 60 Hz, grams, plates sampled at different instants, six channels", async () => {
    const rnd = new Random(3);
    const ids = ["s0", "s1", "s2", "s3", "s4", "s5"];
    const channels = Object.fromEntries(ids.map((id, i) => [id, { offset: 1000 * i - 2500, g_per_count: 0.0021 + 0.0001 * i }]));
    const rows: (string | number)[][] = [];
    const level = ids.map(() => 500);
    for (let i = 0; i < 60 * 40; i++) {
      const tMs = Math.round((i * 1000 / 60) * 1000) / 1000;
      if (i === 60 * 10) level[4] -= 250;
      if (i === 60 * 25) level[1] += 90;
      // Odd plates are sampled half a period later, in rows of their own.
      rows.push([tMs, ...ids.map((_, c) => (c % 2 === 0 ? (level[c] + 0.7 * rnd.gauss()).toFixed(2) : ""))]);
      rows.push([Math.round((tMs + 8.333) * 1000) / 1000, ...ids.map((_, c) => (c % 2 === 1 ? (level[c] + 0.7 * rnd.gauss()).toFixed(2) : ""))]);
    }
    const lanes = [{ id: "L1", channels: ["s0", "s1"], sku: "tea", unit_g: 90 }, { id: "L2", channels: ["s2", "s3", "s4", "s5"], sku: "rice", unit_g: 250 }];
    const dir = mkdtempSync(join(tmpdir(), "aisle-parity-"));
    const path = join(dir, "elsewhere.trace.csv");
    writeFileSync(path, traceText({ kind: "shelf", rate_hz: 60, unit: "grams", channels, lanes, source: "made elsewhere" }, ids, rows));
    writeFileSync(join(dir, "elsewhere.truth.jsonl"), [
      { type: "pick", lane: "L2", t_start_ms: 9900, t_end_ms: 10100, grams: -250, count: 1 },
      { type: "put", lane: "L1", t_start_ms: 24900, t_end_ms: 25100, grams: 90, count: 1 },
    ].map((e) => JSON.stringify(e)).join("\n") + "\n");
    const entries = await replayAll(path);
    expectParity(entries);
    expect(entries[0].events.map((e) => [e.type, e.lane, e.count])).toEqual([["pick", "L2", 1], ["put", "L1", 1]]);
    expect(entries[0].score!.f1).toBe(1);
  });

  // The board has four cells; the device these came from had fewer, and its calibration record holds one a cell.
  for (const plates of [2, 1]) {
    it(`on a ${plates}-plate trace in counts, as trace-format.md's example: fewer cells than the board has, each with its own calibration`, async () => {
      const rnd = new Random(11 + plates);
      const cal = [{ offset: 81250, g_per_count: 0.00233 }, { offset: -4410, g_per_count: 0.00241 }].slice(0, plates);
      const ids = ["p0", "p1"].slice(0, plates);
      const grams = ids.map(() => 1500);
      const rows: (string | number)[][] = [];
      for (let i = 0; i < 80 * 30; i++) {
        // A put of one can at 8 s and a pick of two at 20 s, shared between the lane's plates.
        if (i === 80 * 8) grams.forEach((_, c) => (grams[c] += 352 / plates));
        if (i === 80 * 20) grams.forEach((_, c) => (grams[c] -= 704 / plates));
        rows.push([i * 12.5, ...ids.map((_, c) => Math.round((grams[c] + 0.7 * rnd.gauss()) / cal[c].g_per_count + cal[c].offset))]);
      }
      const dir = mkdtempSync(join(tmpdir(), "aisle-parity-"));
      const path = join(dir, "plates.trace.csv");
      const channels = Object.fromEntries(ids.map((id, c) => [id, cal[c]]));
      writeFileSync(path, traceText({ kind: "shelf", rate_hz: 80, unit: "counts", channels, lanes: [{ id: "A1", channels: ids, sku: "cola-330", unit_g: 352 }] }, ids, rows));
      writeFileSync(join(dir, "plates.truth.jsonl"), [
        { type: "put", lane: "A1", t_start_ms: 7900, t_end_ms: 8100, grams: 352, count: 1 },
        { type: "pick", lane: "A1", t_start_ms: 19900, t_end_ms: 20100, grams: -704, count: 2 },
      ].map((e) => JSON.stringify(e)).join("\n") + "\n");
      const entries = await replayAll(path);
      expectParity(entries);
      expect(entries[0].events.map((e) => [e.type, e.lane, e.count])).toEqual([["put", "A1", 1], ["pick", "A1", 2]]);
      expect(entries[0].score!.grams_mae!).toBeLessThan(2);
      expect(entries[0].health.filter((h) => h.fault === "glitch")).toEqual([]);
    });
  }
});
