import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeCalibrationRecord, encodeCalibrationRecord, PiecewiseCalibration, type CellCal } from "../firmware/core/calibration.ts";
import { loadCalibration, saveCalibration } from "../firmware/core/calibration-store.ts";
import { crc16, crc16Hex } from "../firmware/core/crc16.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";
import { luaBundle } from "../tools/build/lua-bundle.ts";

/** A plain bitwise CRC-16/CCITT-FALSE, to hold the arithmetic one to. */
function referenceCrc(s: string): number {
  let crc = 0xffff;
  for (let i = 0; i < s.length; i++) {
    crc ^= s.charCodeAt(i) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

const R1: CellCal[] = [
  { offset: 81250, counts: [430000], grams: [1000] },
  { offset: -4410, counts: [200000, 420000, 860000], grams: [480.5, 1000, 2010.25] },
];
const R2: CellCal[] = [
  { offset: 81190, counts: [430100], grams: [1000] },
  { offset: -4400, counts: [200100, 420100, 860200], grams: [480.5, 1000, 2010.25] },
];
const R3: CellCal[] = [
  { offset: 81300, counts: [429000], grams: [1000] },
  { offset: -4500, counts: [199000, 419000, 859000], grams: [480.5, 1000, 2010.25] },
];

describe("the calibration record", () => {
  it("checks with CRC-16/CCITT-FALSE, computed without bitwise operators", () => {
    expect(crc16("123456789")).toBe(0x29b1);
    expect(crc16Hex("")).toBe("ffff");
    let seed = 7;
    for (let n = 0; n < 200; n++) {
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256);
      expect(crc16(s)).toBe(referenceCrc(s));
    }
  });

  it("turns counts into grams along a piecewise-linear span, beyond its ends too", () => {
    const cal = new PiecewiseCalibration(R1);
    expect(cal.grams(0, 81250)).toBe(0);
    expect(cal.grams(0, 81250 + 215000)).toBeCloseTo(500, 9);
    expect(cal.grams(0, 81250 - 43000)).toBeCloseTo(-100, 9);
    expect(cal.grams(1, -4410 + 100000)).toBeCloseTo(240.25, 9);
    expect(cal.grams(1, -4410 + 310000)).toBeCloseTo(740.25, 9);
    expect(cal.grams(1, -4410 + 860000 + 44000)).toBeCloseTo(2010.25 + (1010.25 / 440000) * 44000, 6);
  });

  it("round-trips, and rejects every corrupted byte, every truncation, and malformed records", () => {
    const text = encodeCalibrationRecord({ seq: 4, cells: R1 });
    expect(decodeCalibrationRecord(text, 2)).toEqual({ seq: 4, cells: R1 });
    for (let i = 0; i < text.length; i++) {
      const bad = text.slice(0, i) + (text[i] === "7" ? "8" : "7") + text.slice(i + 1);
      expect(decodeCalibrationRecord(bad, 2), `byte ${i}`).toBeUndefined();
    }
    for (let n = 0; n < text.length; n++) expect(decodeCalibrationRecord(text.slice(0, n), 2), `length ${n}`).toBeUndefined();
    expect(decodeCalibrationRecord(text, 3)).toBeUndefined();
    const sealed = (body: string) => body + "crc " + crc16Hex(body) + "\n";
    for (const body of [
      "aisle-cal 3\nseq 1\nc\t0\t5\t100\t10\n",
      "aisle-cal 2\nseq x\nc\t0\t5\t100\t10\n",
      "aisle-cal 2\nseq 1\nc\t1\t5\t100\t10\n",
      "aisle-cal 2\nseq 1\nc\t0\t5\t100\n",
      "aisle-cal 2\nseq 1\nc\t0\t5\t100\t10\t50\t20\n",
      "aisle-cal 2\nseq 1\nc\t0\t5\t100\t10\t200\t10\n",
      "aisle-cal 2\nseq 1\nc\t0\t5\t100\t10\t200\t5\n",
      "aisle-cal 2\nseq 1\nc\t0\tNaN\t100\t10\n",
    ]) {
      expect(decodeCalibrationRecord(sealed(body), 1), JSON.stringify(body)).toBeUndefined();
    }
  });

  it("survives a power cut at every write step: the next boot finds the old record or the new one, whole", () => {
    let store = new TearingStore();
    expect(saveCalibration(store, R1)).toBe(true);
    for (const [before, after] of [[R1, R2], [R2, R3]]) {
      const total = (() => {
        const probe = store.reboot();
        saveCalibration(probe, after);
        return probe.steps;
      })();
      expect(total).toBeGreaterThan(5);
      for (let cut = 0; cut <= total; cut++) {
        const trial = store.reboot();
        trial.powerCutAfter(cut);
        saveCalibration(trial, after);
        const found = loadCalibration(trial.reboot(), 2);
        expect(found?.cells, `cut after ${cut} of ${total} steps`).toEqual(cut === total ? after : expect.anything());
        expect([JSON.stringify(before), JSON.stringify(after)]).toContain(JSON.stringify(found!.cells));
      }
      const next = store.reboot();
      expect(saveCalibration(next, after)).toBe(true);
      store = next.reboot();
      expect(loadCalibration(store, 2)!.cells).toEqual(after);
    }
  });

  it("resumes absolute weight after a reboot", () => {
    const store = new TearingStore();
    saveCalibration(store, R2);
    const before = new PiecewiseCalibration(R2);
    const after = new PiecewiseCalibration(loadCalibration(store.reboot(), 2)!.cells);
    for (const raw of [81190, 300000, 900000, -50000]) expect(after.grams(0, raw)).toBe(before.grams(0, raw));
    expect(loadCalibration(new TearingStore(), 1)).toBeUndefined();
  });

  it("encodes, checks and weighs identically under lua5.1 and lua5.3", () => {
    const entry = resolve("test/fixtures/calibration-main.ts");
    const expected = [
      crc16Hex("123456789"),
      ...encodeCalibrationRecord({ seq: 9, cells: R1 }).trimEnd().split("\n"),
      String(Math.round(new PiecewiseCalibration(R1).grams(1, 300000) * 1000)),
    ];
    const dir = mkdtempSync(join(tmpdir(), "aisle-cal-"));
    for (const [lua, target] of [["lua5.1", "5.1"], ["lua5.3", "5.3"]] as const) {
      const file = join(dir, `cal-${target}.lua`);
      writeFileSync(file, luaBundle(entry, target, "cal.lua"));
      expect(execFileSync(lua, [file], { encoding: "utf8" }).trimEnd().split("\n")).toEqual(expected);
    }
  });
});
