import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  decodeCalibrationRecord,
  encodeCalibrationRecord,
  gramsFromCounts,
  type CalibrationRecord,
  type CellCal,
} from "../firmware/core/calibration.ts";
import { loadCalibration, saveCalibration } from "../firmware/core/calibration-store.ts";
import { crc16, crc16Hex } from "../firmware/core/crc16.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";
import { luaBundle } from "../tools/build/lua-bundle.ts";
import { checkDialect } from "../tools/dialect/check.ts";

/** A plain bitwise CRC-16/CCITT-FALSE, to hold the arithmetic one to. */
function referenceCrc(s: string): number {
  let crc = 0xffff;
  for (let i = 0; i < s.length; i++) {
    crc ^= s.charCodeAt(i) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** A small deterministic generator (an LCG), so every run exercises the same cases. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const sealed = (body: string): string => body + "crc " + crc16Hex(body) + "\n";

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
/** Four cells of five points: a record of 20-odd flash chunks. */
const WIDE: CellCal[] = [0, 1, 2, 3].map((c) => ({
  offset: 8000 * c - 12000,
  counts: [100000, 210000, 330000, 460000, 600000].map((x) => x + 1000 * c),
  grams: [250.125, 500, 750.5, 1000, 1250.75].map((g) => (c === 3 ? -g : g)),
}));

describe("CRC-16/CCITT-FALSE without bitwise operators", () => {
  it("gives the catalogue check value, the initial value for nothing, and the bitwise reference's value", () => {
    expect(crc16("123456789")).toBe(0x29b1);
    expect(crc16Hex("123456789")).toBe("29b1");
    expect(crc16("")).toBe(0xffff);
    expect(crc16Hex("")).toBe("ffff");
    const rand = lcg(7);
    for (let n = 0; n < 300; n++) {
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rand() * 256));
      expect(crc16(s), JSON.stringify(s)).toBe(referenceCrc(s));
      expect(crc16Hex(s)).toBe(referenceCrc(s).toString(16).padStart(4, "0"));
    }
  });
});

describe("counts to grams", () => {
  it("is linear through (0, 0) and one point, on both sides of the offset", () => {
    const c: CellCal = { offset: 1000, counts: [500000], grams: [1000] };
    expect(gramsFromCounts(c, 1000)).toBe(0);
    expect(gramsFromCounts(c, 1000 + 250000)).toBeCloseTo(500, 9);
    expect(gramsFromCounts(c, 1000 + 500000)).toBeCloseTo(1000, 9);
    expect(gramsFromCounts(c, 1000 + 1000000)).toBeCloseTo(2000, 9);
    expect(gramsFromCounts(c, 1000 - 100000)).toBeCloseTo(-200, 9);
    expect(gramsFromCounts(c, -8388608)).toBeCloseTo((-8388608 - 1000) / 500, 9);
  });

  it("interpolates between points, and goes on with the nearest segment beyond both ends", () => {
    const c = R1[1];
    const at = (x: number) => gramsFromCounts(c, c.offset + x);
    expect(at(0)).toBe(0);
    for (let k = 0; k < 3; k++) expect(at(c.counts[k])).toBeCloseTo(c.grams[k], 9);
    expect(at(100000)).toBeCloseTo(240.25, 9);
    expect(at(310000)).toBeCloseTo(740.25, 9);
    expect(at(640000)).toBeCloseTo(1505.125, 9);
    // Below the first point, and below zero: the slope from (0, 0) to the first point.
    expect(at(-100000)).toBeCloseTo(-240.25, 9);
    // Beyond the last point: the last segment's slope.
    expect(at(860000 + 44000)).toBeCloseTo(2010.25 + (1010.25 / 440000) * 44000, 9);
  });

  it("follows a span that falls (a cell wired the other way round)", () => {
    const c = WIDE[3];
    expect(gramsFromCounts(c, c.offset + c.counts[2])).toBeCloseTo(-750.5, 9);
    expect(gramsFromCounts(c, c.offset - 1000)).toBeGreaterThan(0);
    expect(gramsFromCounts(c, c.offset + 700000)).toBeLessThan(-1250.75);
  });
});

describe("the calibration record", () => {
  const text = encodeCalibrationRecord({ seq: 4, cells: R1 });

  it("is the documented text, and reads back as it was written", () => {
    expect(text).toBe(
      "aisle-cal 2\nseq 4\n" +
        "c\t0\t81250\t1\t430000\t1000.000\n" +
        "c\t1\t-4410\t3\t200000\t480.500\t420000\t1000.000\t860000\t2010.250\n" +
        `crc ${crc16Hex(text.slice(0, text.indexOf("crc ")))}\n`,
    );
    expect(decodeCalibrationRecord(text, 2)).toEqual({ seq: 4, cells: R1 });
    const wide = encodeCalibrationRecord({ seq: 123456, cells: WIDE });
    expect(decodeCalibrationRecord(wide, 4)).toEqual({ seq: 123456, cells: WIDE });
  });

  it("rejects every single-byte change, insertion and deletion, and every truncation", () => {
    const accepted: string[] = [];
    let tried = 0;
    const trial = (what: string, t: string) => {
      tried++;
      if (decodeCalibrationRecord(t, 2) !== undefined) accepted.push(what);
    };
    for (let i = 0; i < text.length; i++) {
      for (let b = 0; b < 256; b++) {
        if (b === text.charCodeAt(i)) continue;
        const ch = String.fromCharCode(b);
        trial(`byte ${i} -> ${b}`, text.slice(0, i) + ch + text.slice(i + 1));
      }
      for (const ch of "0179-.\t\n cr\u0000\u00ff") trial(`insert ${JSON.stringify(ch)} at ${i}`, text.slice(0, i) + ch + text.slice(i));
      trial(`delete ${i}`, text.slice(0, i) + text.slice(i + 1));
      trial(`length ${i}`, text.slice(0, i));
    }
    expect(accepted).toEqual([]);
    expect(tried).toBe(text.length * (255 + 13 + 2));
  });

  it("rejects the wrong cell count, and malformed records even when their CRC is right, without throwing", () => {
    expect(decodeCalibrationRecord(text, 3)).toBeUndefined();
    expect(decodeCalibrationRecord(text, 1)).toBeUndefined();
    const c = (fields: string) => `aisle-cal 2\nseq 1\nc\t${fields}\n`;
    const bodies = [
      "aisle-cal 1\nseq 1\nc\t0\t5\t1\t100\t10.000\n", // another version
      "aisle-cal 3\nseq 1\nc\t0\t5\t1\t100\t10.000\n",
      "aisle-cal 2\nc\t0\t5\t1\t100\t10.000\n", // no seq
      "aisle-cal 2\nseq \nc\t0\t5\t1\t100\t10.000\n",
      "aisle-cal 2\nseq x\nc\t0\t5\t1\t100\t10.000\n",
      "aisle-cal 2\nseq -1\nc\t0\t5\t1\t100\t10.000\n",
      "aisle-cal 2\nseq 1.5\nc\t0\t5\t1\t100\t10.000\n",
      "aisle-cal 2\nseq 1e3\nc\t0\t5\t1\t100\t10.000\n",
      "aisle-cal 2\nseq 1\n", // no cell
      "aisle-cal 2\nseq 1\nc\t0\t5\t1\t100\t10.000\n\n", // an empty line
      "aisle-cal 2\nseq 1\r\nc\t0\t5\t1\t100\t10.000\r\n",
      c("1\t5\t1\t100\t10.000"), // cell index out of range
      c("-1\t5\t1\t100\t10.000"),
      c(" 0\t5\t1\t100\t10.000"),
      c("0\t5\t1\t100\t10.000\n" + "c\t0\t5\t1\t100\t10.000"), // the cell twice
      "aisle-cal 2\nseq 1\nd\t0\t5\t1\t100\t10.000\n",
      c("0\tNaN\t1\t100\t10.000"), // non-finite or not a plain numeral
      c("0\tInfinity\t1\t100\t10.000"),
      c("0\t\t1\t100\t10.000"),
      c("0\t5\t1\t100\tInfinity"),
      c("0\t5\t1\t100\t-Infinity"),
      c("0\t5\t1\t1e400\t10.000"),
      c("0\t5\t1\t0x64\t10.000"),
      c("0\t5\t1\t100\t10.0.0"),
      c("0\t5\t1\t100\t"),
      c("0\t5\t1\t100\t-"),
      c("0\t5\t1\t100.5\t10.000"), // integers only as formatInt writes them
      c("0\t5\t1\t0100\t10.000"),
      c("0\t5\t1\t1e2\t10.000"),
      c("0\t5.0\t1\t100\t10.000"),
      c("0\t-0\t1\t100\t10.000"),
      c("0\t5\t01\t100\t10.000"),
      c("0\t5\t1\t100\t1" + "0".repeat(400)),
      c("0\t5\t0"), // no point
      c("0\t5\t1\t100"), // half a point
      c("0\t5\t2\t100\t10.000"), // fewer points than it says
      c("0\t5\t1\t100\t10.000\t200\t20.000"), // more points than it says
      c("0\t5\t1\t100\t10.000\t"),
      c("0\t5\t1\t0\t10.000"), // a point at zero counts: (0, 0) is implied
      c("0\t5\t1\t-100\t10.000"), // counts not above zero
      c("0\t5\t1\t100\t0"), // flat from (0, 0)
      c("0\t5\t2\t200\t10.000\t100\t20.000"), // unsorted counts
      c("0\t5\t2\t100\t10.000\t100\t20.000"), // duplicate counts
      c("0\t5\t2\t100\t10.000\t200\t10.000"), // a flat segment
      c("0\t5\t2\t100\t10.000\t200\t5.000"), // a span that turns back
      c("0\t5\t2\t100\t-10.000\t200\t5.000"),
      c("0\t5\t3\t100\t10.000\t200\t20.000\t300\t15.000"),
    ];
    for (const body of bodies) {
      expect(() => decodeCalibrationRecord(sealed(body), 1), JSON.stringify(body)).not.toThrow();
      expect(decodeCalibrationRecord(sealed(body), 1), JSON.stringify(body)).toBeUndefined();
    }
    const unsealed = ["", "\n", "crc ffff\n", "\ncrc ffff\n", "aisle-cal 2\n", text.replace(/crc (\w+)/, (_, h: string) => "crc " + h.toUpperCase()), text + "\n", text.trimEnd()];
    for (const t of unsealed) expect(decodeCalibrationRecord(t, 2), JSON.stringify(t)).toBeUndefined();
    expect(decodeCalibrationRecord(undefined, 2)).toBeUndefined();
    // The well-formed neighbours of those cases do read.
    expect(decodeCalibrationRecord(sealed(c("0\t5\t2\t100\t10.000\t200\t25.500")), 1)).toEqual({ seq: 1, cells: [{ offset: 5, counts: [100, 200], grams: [10, 25.5] }] });
    expect(decodeCalibrationRecord(sealed(c("0\t-5\t2\t100\t-10.000\t200\t-25.500")), 1)).toEqual({ seq: 1, cells: [{ offset: -5, counts: [100, 200], grams: [-10, -25.5] }] });
  });

  it("never throws on records scrambled and sealed again, and accepts only what makes a valid calibration", () => {
    const rand = lcg(11);
    const alphabet = "0123456789-.\t\nc aisleqr";
    const base = encodeCalibrationRecord({ seq: 3, cells: WIDE });
    const body = base.slice(0, base.indexOf("crc "));
    let accepted = 0;
    for (let n = 0; n < 1500; n++) {
      let s = body;
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * s.length);
        const ch = alphabet[Math.floor(rand() * alphabet.length)];
        const op = Math.floor(rand() * 3);
        s = op === 0 ? s.slice(0, at) + ch + s.slice(at + 1) : op === 1 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + s.slice(at + 1);
      }
      let r: CalibrationRecord | undefined;
      try {
        r = decodeCalibrationRecord(sealed(s), 4);
      } catch (e) {
        throw new Error(`threw on ${JSON.stringify(s)}: ${e}`);
      }
      if (r === undefined) continue;
      accepted++;
      expect(r.cells).toHaveLength(4);
      for (const cell of r.cells) {
        expect(Number.isInteger(cell.offset)).toBe(true);
        expect(cell.counts.length).toBe(cell.grams.length);
        expect(cell.counts.length).toBeGreaterThan(0);
        const dir = Math.sign(cell.grams[0]);
        expect(dir).not.toBe(0);
        for (let k = 0; k < cell.counts.length; k++) {
          expect(Number.isFinite(cell.counts[k]) && Number.isFinite(cell.grams[k])).toBe(true);
          expect(cell.counts[k]).toBeGreaterThan(k === 0 ? 0 : cell.counts[k - 1]);
          expect((cell.grams[k] - (k === 0 ? 0 : cell.grams[k - 1])) * dir).toBeGreaterThan(0);
        }
      }
      // Written again (grams to three decimals), it reads back as written.
      const again = encodeCalibrationRecord(r);
      expect(encodeCalibrationRecord(decodeCalibrationRecord(again, 4)!)).toBe(again);
    }
    // Some edits (a digit for a digit) still make a valid record: the check above saw them.
    expect(accepted).toBeGreaterThan(20);
  });
});

/** The steps a save of cells onto what `store` holds takes, from a probe that loses nothing. */
function stepsOfSave(store: TearingStore, cells: CellCal[]): number {
  const probe = store.reboot();
  saveCalibration(probe, cells);
  return probe.steps;
}

/**
 * Saves cells onto `store`'s flash with the power cut after every possible step, reboots each
 * time and loads: returns what every boot found, and the store as a completed save leaves it.
 */
function cutEverywhere(store: TearingStore, cells: CellCal[]): { found: (CalibrationRecord | undefined)[]; total: number; done: TearingStore } {
  const total = stepsOfSave(store, cells);
  const found: (CalibrationRecord | undefined)[] = [];
  for (let cut = 0; cut <= total; cut++) {
    const trial = store.reboot();
    trial.powerCutAfter(cut);
    const saved = saveCalibration(trial, cells);
    // The save says it saved exactly when every step reached flash.
    expect(saved, `cut after ${cut} of ${total}`).toBe(cut === total);
    found.push(loadCalibration(trial.reboot(), cells.length));
  }
  const done = store.reboot();
  expect(saveCalibration(done, cells)).toBe(true);
  return { found, total, done: done.reboot() };
}

describe("the calibration in A/B slots, with the power cut at every write step", () => {
  let cutPoints = 0;

  it("onto an empty store: nothing, or the whole first record", () => {
    const { found, total, done } = cutEverywhere(new TearingStore(), R1);
    const r1 = { seq: 1, cells: R1 };
    expect(total).toBe(1 + Math.ceil(encodeCalibrationRecord(r1).length / TearingStore.CHUNK_BYTES));
    found.forEach((f, cut) => expect(f, `cut after ${cut}`).toEqual(cut === total ? r1 : undefined));
    expect(loadCalibration(done, 2)).toEqual(r1);
    expect(done.read("cal.a")).toBe(encodeCalibrationRecord(r1));
    cutPoints += found.length;
  });

  it("R2 over R1, then R3 over R2: the old record or the new one, whole, never a mix, never nothing", () => {
    let store = new TearingStore();
    expect(saveCalibration(store, R1)).toBe(true);
    store = store.reboot();
    const slots: string[] = [];
    for (const [before, after] of [[R1, R2], [R2, R3], [R3, R1]] as const) {
      const old = loadCalibration(store, 2)!;
      expect(old.cells).toEqual(before);
      const next = { seq: old.seq + 1, cells: after };
      const { found, total, done } = cutEverywhere(store, after);
      expect(total).toBeGreaterThan(5);
      // Any torn new record is refused: the old one stands until the very last chunk lands.
      found.forEach((f, cut) => expect(f, `cut after ${cut} of ${total}`).toEqual(cut === total ? next : old));
      expect(loadCalibration(done, 2)).toEqual(next);
      // The slot written is the one that did not hold the newest record, which is still there whole.
      const written = done.read("cal.a") === encodeCalibrationRecord(next) ? "cal.a" : "cal.b";
      expect(done.read(written === "cal.a" ? "cal.b" : "cal.a")).toBe(encodeCalibrationRecord(old));
      slots.push(written);
      cutPoints += found.length;
      store = done;
    }
    expect(slots).toEqual(["cal.b", "cal.a", "cal.b"]);
  });

  it("a wide record, torn at every step, then the next save torn at every step too", () => {
    let store = new TearingStore();
    saveCalibration(store, R1.concat(R2));
    store = store.reboot();
    const old = loadCalibration(store, 4)!;
    const total = stepsOfSave(store, WIDE);
    expect(total).toBeGreaterThan(20);
    for (let first = 0; first <= total; first++) {
      const torn = store.reboot();
      torn.powerCutAfter(first);
      saveCalibration(torn, WIDE);
      const afterFirst = torn.reboot();
      const newest = loadCalibration(afterFirst, 4)!;
      expect(newest).toEqual(first === total ? { seq: 2, cells: WIDE } : old);
      const { found } = cutEverywhere(afterFirst, R3.concat(R1));
      const next = { seq: newest.seq + 1, cells: R3.concat(R1) };
      found.forEach((f, cut) => expect(f, `first cut ${first}, second cut ${cut}`).toEqual(cut === found.length - 1 ? next : newest));
      cutPoints += found.length;
    }
  });

  it("reads the other slot when the newest one rots, and never saves over the one left", () => {
    const store = new TearingStore();
    saveCalibration(store, R1);
    saveCalibration(store, R2);
    const rotten = store.read("cal.b")!.replace("430100", "430101");
    store.write("cal.b", rotten);
    expect(loadCalibration(store, 2)).toEqual({ seq: 1, cells: R1 });
    const { found } = cutEverywhere(store, R3);
    found.forEach((f, cut) => expect(f).toEqual(cut === found.length - 1 ? { seq: 2, cells: R3 } : { seq: 1, cells: R1 }));
    cutPoints += found.length;
  });

  it("resumes absolute weight after a reboot, without a re-tare", () => {
    const store = new TearingStore();
    expect(saveCalibration(store, R2)).toBe(true);
    const loaded = loadCalibration(store.reboot(), 2)!;
    const raws = [-8388608, -50000, 0, 81190, 81191, 300000, 511290, 900000, 8388607];
    for (let cell = 0; cell < 2; cell++) {
      for (const raw of raws) expect(gramsFromCounts(loaded.cells[cell], raw)).toBe(gramsFromCounts(R2[cell], raw));
    }
    expect(loadCalibration(new TearingStore(), 2)).toBeUndefined();
    expect(loadCalibration(store.reboot(), 3)).toBeUndefined();
  });

  it("exercised every cut point", () => {
    console.log(`calibration: power cut at ${cutPoints} write steps, every boot found the old record or the new one`);
    expect(cutPoints).toBeGreaterThan(400);
  });
});

describe("the firmware side", () => {
  it("is in the firmware dialect", async () => {
    const files = ["firmware/core/crc16.ts", "firmware/core/calibration.ts", "firmware/core/calibration-store.ts"].map((f) => resolve(f));
    expect(await checkDialect(files, "firmware")).toEqual([]);
  });

  it("prints the same lines in JS, under lua5.1 and under lua5.3", async () => {
    const entry = resolve("test/fixtures/calibration-main.ts");
    const lines: string[] = [];
    const g = globalThis as { print?: (s: string) => void };
    g.print = (s: string) => lines.push(s);
    try {
      await import("./fixtures/calibration-main.ts");
    } finally {
      delete g.print;
    }
    // What JS prints is right in itself, not only the same as Lua.
    expect(lines[0]).toBe(`29b1 ffff ${referenceCrc(Array.from({ length: 256 }, (_, b) => String.fromCharCode(b)).join("")).toString(16).padStart(4, "0")} ${referenceCrc(Array.from({ length: 512 }, (_, b) => String.fromCharCode(b % 256)).join(""))}`);
    expect(lines[1]).toBe("aisle-cal 2");
    expect(lines).toContain("round trip");
    expect(lines.find((l) => l.startsWith("damaged"))).toMatch(/^damaged accepted 0 of \d+$/);
    expect(lines).toContain("malformed accepted 0 of 10, well-formed read");
    expect(lines).toContain("saved seq 2 offset0 -4410");
    expect(lines.filter((l) => l.startsWith("g"))).toHaveLength(3);
    const dir = mkdtempSync(join(tmpdir(), "aisle-cal-"));
    for (const [lua, target] of [["lua5.1", "5.1"], ["lua5.3", "5.3"]] as const) {
      const file = join(dir, `cal-${target}.lua`);
      writeFileSync(file, luaBundle(entry, target, "cal.lua"));
      expect(execFileSync(lua, [file], { encoding: "utf8" }).trimEnd().split("\n"), lua).toEqual(lines);
    }
  });
});

describe("saving a calibration", () => {
  it("reports failure, and keeps the previous record, when the points would not survive the record", () => {
    const store = new TearingStore();
    const good: CellCal[] = [{ offset: 0, counts: [430000], grams: [1000] }];
    expect(saveCalibration(store, good)).toBe(true);
    // 430000.2 and 430000.4 both round to 430000: the record could never load.
    const clash: CellCal[] = [{ offset: 0, counts: [430000.2, 430000.4], grams: [1000, 1001] }];
    expect(saveCalibration(store, clash)).toBe(false);
    expect(loadCalibration(store.reboot(), 1)!.cells).toEqual(good);
  });
});
