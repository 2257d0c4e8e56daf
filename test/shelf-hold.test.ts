import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Random } from "../sim/gen/random.ts";
import { traceText } from "../sim/gen/trace-writer.ts";
import { boardFor, replayTrace } from "../sim/replay.ts";

/*
 * An episode whose counts fit badly waits a second after it settles for its lane to move again
 * (shelf-pipeline.ts, HOLD_MS). A hand that rests on the items at 10 SPS can hold a level long
 * enough to settle: without the wait that is a put of 3.6 items, then a pick of 6.6.
 */
const UNIT_G = 47.8;
const CAL = { offset: 52000, g_per_count: 0.0022 };

/** One plate at 10 SPS, 30 s: `grams(tS)` above a 1,500 g load, with 0.7 g of noise. */
function trace(name: string, grams: (tS: number) => number): string {
  const rnd = new Random(5);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 300; i++) {
    const g = 1500 + grams(i / 10) + 0.7 * rnd.gauss();
    rows.push([i * 100, Math.round(g / CAL.g_per_count + CAL.offset)]);
  }
  const dir = mkdtempSync(join(tmpdir(), "aisle-hold-"));
  const path = join(dir, `${name}.trace.csv`);
  writeFileSync(path, traceText({ kind: "shelf", rate_hz: 10, unit: "counts", channels: { p0: CAL }, lanes: [{ id: "A1", channels: ["p0"], sku: "gum", unit_g: UNIT_G }] }, ["p0"], rows));
  return path;
}

async function events(path: string) {
  const entries = await replayTrace(path, { runners: ["source", "lua51"] }, (r) => boardFor(r));
  for (const e of entries) expect(e.firmwareErrors).toEqual([]);
  expect(entries[1].payloads).toEqual(entries[0].payloads);
  return entries[0].events;
}

describe("an episode whose counts fit badly waits for its lane to move again", () => {
  it("a hand resting 0.6 s on the lane before it lifts three items is one pick of three", async () => {
    // Press to +170 g (3.6 items) by 5.3 s, rest until 5.9 s, lift three items by 6.1 s.
    const ev = await events(trace("rest", (t) => (t < 5 ? 0 : t < 5.3 ? ((t - 5) / 0.3) * 170 : t < 5.9 ? 170 : t < 6.1 ? 170 - ((t - 5.9) / 0.2) * (170 + 3 * UNIT_G) : -3 * UNIT_G)));
    expect(ev.map((e) => [e.type, e.count])).toEqual([["pick", 3]]);
    expect(Math.abs((ev[0].grams as number) + 3 * UNIT_G)).toBeLessThan(2);
  });

  it("a change that stays off whole items is still published, with its settling time and a low confidence", async () => {
    const ev = await events(trace("odd", (t) => (t < 5 ? 0 : t < 5.3 ? ((t - 5) / 0.3) * 170 : 170)));
    expect(ev.map((e) => [e.type, e.count])).toEqual([["put", 4]]);
    expect(ev[0].confidence).toBeLessThan(0.5);
    // It settles within a second of the change, and waits a second more before it is published;
    // t_ms says when it settled.
    expect(ev[0].t_ms).toBeLessThan(6500);
  });
});
