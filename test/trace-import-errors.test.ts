import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importRecording } from "../sim/import/import-recording.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import { TraceError, type ShelfTrace } from "../sim/trace/trace-types.ts";

/* Bad recordings, planograms and labels: one clear error naming file and line (or JSON path), and nothing written. */

const tmp = mkdtempSync(join(tmpdir(), "aisle-import-bad-"));
let n = 0;

const PLANOGRAM = {
  device: "g1-s5",
  plates: [{ id: "p1", gondola: 1, shelf: 5, plate: 1 }, { id: "p2", gondola: 1, shelf: 5, plate: 2 }, { id: "p3", gondola: 1, shelf: 5, plate: 3 }],
  lanes: [{ id: "A", plates: ["p1", "p2"], sku: "chips", unit_g: 62.3 }, { id: "B", plates: ["p3"], sku: "water", unit_g: 538 }],
};

/** A small valid folder: three plates, 2 s at 60 Hz, one labelled pick. */
function folder(): string {
  const dir = join(tmp, `f${n++}`);
  mkdirSync(dir);
  for (const [i, id] of ["p1", "p2", "p3"].entries()) {
    const rows = ["unix_time_s,weight_g"];
    for (let k = 0; k < 120; k++) rows.push(`${(1573094128 + i * 0.004 + k / 60).toFixed(6)},${(1000 + 500 * i + (k % 3) * 0.4).toFixed(2)}`);
    writeFileSync(join(dir, `${id}.csv`), rows.join("\n") + "\n");
  }
  writeFileSync(join(dir, "planogram.json"), JSON.stringify(PLANOGRAM, null, 2));
  writeFileSync(join(dir, "events.csv"), "type,t_start_s,t_end_s,lane,count,grams\npick,1573094128.5,1573094129.2,A,1,-62.3\n");
  return dir;
}

const edit = (file: string, lineNo: number, text: string) => {
  const lines = readFileSync(file, "utf8").split("\n");
  lines[lineNo - 1] = text;
  writeFileSync(file, lines.join("\n"));
};

function errorOf(dir: string, extra: Partial<Parameters<typeof importRecording>[0]> = {}): string {
  const out = join(tmp, "out", `e${n++}`);
  try {
    importRecording({ input: dir, out, timeBase: "auto", ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError);
    // Nothing half-written: no trace, no truth, no temp file.
    expect(readdirSync(join(tmp, "out")).filter((f) => f.startsWith(`e${n - 1}.`))).toEqual([]);
    return (e as Error).message;
  }
  throw new Error("the import was accepted");
}

describe("aisle trace import refuses bad input with file and line", () => {
  mkdirSync(join(tmp, "out"), { recursive: true });

  it("imports the small folder as it is (the cases below each break one thing)", () => {
    const s = importRecording({ input: folder(), out: join(tmp, "out", "ok"), timeBase: "auto" });
    expect(s).toMatchObject({ channels: 3, samples: 360, rate_hz: 60, events: 1 });
  });

  it("a plate of the planogram without its CSV, and a CSV no plate reads", () => {
    const a = folder();
    unlinkSync(join(a, "p2.csv"));
    expect(errorOf(a)).toBe(`${join(a, "p2.csv")}: no such file: plate p2 (gondola 1, shelf 5, plate 2) of the planogram ${join(a, "planogram.json")} has no CSV`);
    const b = folder();
    writeFileSync(join(b, "p4.csv"), "unix_time_s,weight_g\n1573094128,1\n");
    expect(errorOf(b)).toMatch(new RegExp(`^${join(b, "p4.csv")}: no plate of the planogram .* reads this file`));
  });

  it("times that go back, cells that are not numbers, short rows, files without samples", () => {
    const cases: [number, string, RegExp][] = [
      [6, "1573094128.01,1000", /p1\.csv:6: time 1573094128\.01 goes back: the previous row was 1573094128\.05$/],
      [4, "1573094128.05,abc", /p1\.csv:4: the weight "abc" is not a number/],
      [4, "yesterday,1000", /p1\.csv:4: the time "yesterday" is not a number/],
      [9, "1573094128.2", /p1\.csv:9: the row has 1 cells, expected 2/],
      [3, '"1573094128.1,1000', /p1\.csv:3: a quoted cell is not closed/],
    ];
    for (const [line, text, want] of cases) {
      const dir = folder();
      edit(join(dir, "p1.csv"), line, text);
      expect(errorOf(dir)).toMatch(want);
    }
    const dir = folder();
    writeFileSync(join(dir, "p3.csv"), "unix_time_s,weight_g\n");
    expect(errorOf(dir)).toBe(`${join(dir, "p3.csv")}: no samples for plate p3: the file has no data rows`);
  });

  it("a missing-sample marker (nan, NA, empty) is an empty cell, not an error", () => {
    const dir = folder();
    edit(join(dir, "p2.csv"), 10, "1573094128.137333,nan");
    const s = importRecording({ input: dir, out: join(tmp, "out", "nan"), timeBase: "auto" });
    expect(s.missing).toBe(1);
    expect((readTrace(s.trace) as ShelfTrace).samples[1].tUs.length).toBe(119);
  });

  it("planograms: JSON syntax with its line, schema errors and cross-checks with their JSON path", () => {
    const bad = (doc: unknown, raw?: string) => {
      const dir = folder();
      writeFileSync(join(dir, "planogram.json"), raw ?? JSON.stringify(doc, null, 2));
      return errorOf(dir).replace(join(dir, "planogram.json"), "P");
    };
    expect(bad(undefined, '{\n  "plates": [\n    {"id": "p1",}\n  ]\n}')).toMatch(/^P:3: not JSON: /);
    expect(bad({ ...PLANOGRAM, lanes: [{ ...PLANOGRAM.lanes[0], unit_g: -1 }] })).toBe("P: /lanes/0/unit_g: must be > 0");
    expect(bad({ ...PLANOGRAM, plates: [...PLANOGRAM.plates, { id: "p4", weight: 3 }] })).toBe('P: /plates/3: unknown key "weight"');
    expect(bad({ ...PLANOGRAM, plates: [{ id: "p 1" }] })).toBe("P: /plates/0/id: must be letters, digits and _ . : - only");
    expect(bad({ ...PLANOGRAM, plates: [{ id: "p1", gondola: 1 }] })).toMatch(/^P: \n {2}\/plates\/0: "gondola" needs "shelf" too\n {2}\/plates\/0: "gondola" needs "plate" too$/);
    expect(bad({ ...PLANOGRAM, lanes: [PLANOGRAM.lanes[0], { id: "B", plates: ["p9"] }] })).toBe('P: /lanes/1/plates/0: no plate "p9" in /plates');
    expect(bad({ ...PLANOGRAM, lanes: [PLANOGRAM.lanes[0], { id: "B", plates: ["p3", "p2"] }] })).toBe("P: /lanes/1/plates/1: plate p2 is also at /lanes/0/plates/1");
    expect(bad({ ...PLANOGRAM, plates: [...PLANOGRAM.plates, { id: "p2" }] })).toMatch(/^P: \n {2}\/plates\/3\/id: plate p2 is also at \/plates\/1\/id/);
    expect(bad({ plates: PLANOGRAM.plates.map((p) => ({ ...p, offset: 0, g_per_count: 0.001 })) })).toBe('P: /plates: per-plate CSVs are in grams, so plates take no "offset" or "g_per_count"');
  });

  it("labels: each problem on its line of events.csv", () => {
    const cases: [string, RegExp][] = [
      ["pick,1573094128.5,1573094129.2,Z,1,-62.3", /events\.csv:2: no lane "Z" in the planogram/],
      ["grab,1573094128.5,1573094129.2,A,1,-62.3", /events\.csv:2: type "grab" is neither a pick nor a put/],
      ["pick,1573094228.5,1573094229.2,A,1,-62.3", /events\.csv:2: the event lies outside the recording, which runs from 1573094128 to 1573094129\.991333 s$/],
      ["pick,1573094128.5,1573094129.2,A,1,62.3", /events\.csv:2: grams 62\.3 has the wrong sign for a pick/],
      ["pick,1573094129.5,1573094129.2,A,1,-62.3", /events\.csv:2: the event ends before it starts/],
      ["pick,1573094128.5,1573094129.2,A,1.5,-62.3", /events\.csv:2: count 1\.5 is not a whole number of items above 0/],
    ];
    for (const [row, want] of cases) {
      const dir = folder();
      edit(join(dir, "events.csv"), 2, row);
      expect(errorOf(dir)).toMatch(want);
    }
    const dir = folder();
    writeFileSync(join(dir, "events.csv"), "type,t_start_s,plates\nput,1573094128.5,p2 p3\n");
    expect(errorOf(dir)).toMatch(/events\.csv:2: plates p2 p3 belong to several lanes \(A, B\): name the lane/);
  });

  it("AiFi labels by gondola, shelf and plate numbers, and the putback flag", () => {
    const dir = folder();
    writeFileSync(join(dir, "events.csv"), "putback,t_start_s,gondola,shelf,plates\n0,1573094128.5,1,5,1;2\n1,1573094129.1,1,5,3\n");
    const s = importRecording({ input: dir, out: join(tmp, "out", "aifi-labels"), timeBase: "auto" });
    expect(readFileSync(s.truth!, "utf8")).toBe('{"type":"pick","lane":"A","t_start_ms":500,"t_end_ms":500,"sku":"chips"}\n{"type":"put","lane":"B","t_start_ms":1100,"t_end_ms":1100,"sku":"water"}\n');
  });

  it("leaves an earlier import untouched when a new one fails, and removes its temp files", () => {
    const good = importRecording({ input: folder(), out: join(tmp, "keep", "shelf"), timeBase: "auto" });
    const before = readFileSync(good.trace, "utf8");
    const dir = folder();
    edit(join(dir, "events.csv"), 2, "pick,1573094128.5,1573094129.2,Z,1,-62.3");
    expect(() => importRecording({ input: dir, out: join(tmp, "keep", "shelf"), timeBase: "auto" })).toThrow(/no lane "Z"/);
    expect(readFileSync(good.trace, "utf8")).toBe(before);
    expect(readdirSync(join(tmp, "keep")).sort()).toEqual(["shelf.trace.csv", "shelf.truth.jsonl"]);
  });

  it("names what is missing: the input, and a folder's planogram", () => {
    expect(errorOf(join(tmp, "nowhere"))).toBe(`${join(tmp, "nowhere")}: no such file or folder`);
    const dir = folder();
    rmSync(join(dir, "planogram.json"));
    expect(errorOf(dir)).toBe(`${dir}: a folder of per-plate CSVs needs a planogram: put planogram.json in it, or give --planogram FILE`);
  });

  it("the command prints one line on stderr and exits 1 on bad input, 2 on a bad flag", () => {
    const dir = folder();
    edit(join(dir, "p1.csv"), 4, "1573094128.05,abc");
    const aisle = (...args: string[]) => spawnSync(process.execPath, ["tools/aisle.mjs", "trace", "import", ...args], { encoding: "utf8" });
    const r = aisle(dir, "--out", join(tmp, "out", "cli"));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`aisle: ${join(dir, "p1.csv")}:4: the weight "abc" is not a number\n`);
    const u = aisle(dir, "--out", join(tmp, "out", "cli"), "--time-unit", "h");
    expect(u.status).toBe(2);
    expect(u.stderr).toBe('aisle: --time-unit must be s, ms or us, not "h"\n');
  });
});
