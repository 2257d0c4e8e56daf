import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTimeUs } from "../sim/import/cell-parse.ts";
import type { GenericCsvOptions } from "../sim/import/generic-csv.ts";
import { importRecording } from "../sim/import/import-recording.ts";
import { SampleSeries, rateFromSeries, spreadEqualTimes } from "../sim/import/sample-series.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import type { ShelfTrace } from "../sim/trace/trace-types.ts";

/* The generic CSV through column flags, and the pieces every form shares: times, spreading, rate. */

const tmp = mkdtempSync(join(tmpdir(), "aisle-import-csv-"));
let n = 0;
const GENERIC: GenericCsvOptions = { time: "1", timeUnit: "s", weights: [], unit: "grams", delimiter: ",", header: true };

function run(text: string, generic: Partial<GenericCsvOptions>, extra: { planogram?: object; labels?: string; timeBase?: "unix" | "relative" | "auto" } = {}) {
  const input = join(tmp, `in${n++}.csv`);
  writeFileSync(input, text);
  let planogram: string | undefined;
  if (extra.planogram) writeFileSync((planogram = join(tmp, `p${n}.json`)), JSON.stringify(extra.planogram));
  let labels: string | undefined;
  if (extra.labels) writeFileSync((labels = join(tmp, `l${n}.csv`)), extra.labels);
  const s = importRecording({ input, out: join(tmp, `out${n}`), generic: { ...GENERIC, ...generic }, planogram, labels, timeBase: extra.timeBase ?? "auto" });
  return { s, input, text: readFileSync(s.trace, "utf8"), trace: readTrace(s.trace) as ShelfTrace };
}

const rows = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));

describe("importing a generic CSV through column flags", () => {
  it("maps named columns to channel ids: relative ms, semicolons, a column left out", () => {
    const { s, text, trace } = run("time_ms;left;note;right\n0;512.5;a;498.25\n12.5;512.75;b;\n25;512.5;c;498.5\n37.5;;d;498.75\n50;512.25;e;498.5\n", {
      time: "time_ms", timeUnit: "ms", weights: ["left=p0", "right=p1"], delimiter: ";",
    });
    expect(s).toMatchObject({ form: "csv", channels: 2, samples: 8, rate_hz: 80 });
    expect(s.recorded).toBeUndefined();
    expect(rows(text)).toEqual(["t_ms,p0,p1", "0,512.5,498.25", "12.5,512.75,", "25,512.5,498.5", "37.5,,498.75", "50,512.25,498.5"]);
    expect(trace.unit).toBe("grams");
    expect(trace.lanes).toEqual([{ id: "p0", channels: [0] }, { id: "p1", channels: [1] }]);
    expect(text).not.toMatch(/^# (lanes|recorded):/m);
  });

  it("reads columns by number without a header, in µs on a unix base, and names the channels chN", () => {
    const lines = Array.from({ length: 11 }, (_, i) => `${1700000000000000 + 100000 * i}\t${1000 + i}\t${-5 - i}`);
    const { s, trace } = run(lines.join("\n") + "\n", { time: "1", timeUnit: "us", header: false, delimiter: "\t" });
    expect(trace.channels.map((c) => c.id)).toEqual(["ch2", "ch3"]);
    expect(s.rate_hz).toBe(10);
    expect(s.recorded).toBe("2023-11-14T22:13:20.000Z");
    expect(trace.samples[1].tUs).toEqual(Array.from({ length: 11 }, (_, i) => i * 100000));
  });

  it("keeps a recording in counts as counts, with the planogram's calibration and lanes", () => {
    const planogram = { plates: [{ id: "a", offset: 81250, g_per_count: 0.00233 }, { id: "b", offset: -4410, g_per_count: 0.00241 }], lanes: [{ id: "A1", plates: ["a", "b"], sku: "cola-330", unit_g: 352 }] };
    const { text, trace } = run("t,raw_a,raw_b\n0,1642980,1202213\n0.0125,1642991,1202190\n0.025,1642975,1202204\n", { unit: "counts", weights: ["raw_b=b", "raw_a=a"] }, { planogram });
    expect(trace.unit).toBe("counts");
    expect(trace.channels).toEqual([{ id: "a", offset: 81250, gramsPerCount: 0.00233 }, { id: "b", offset: -4410, gramsPerCount: 0.00241 }]);
    expect(trace.lanes).toEqual([{ id: "A1", channels: [0, 1], sku: "cola-330", unitG: 352 }]);
    expect(rows(text)).toEqual(["t_ms,a,b", "0,1642980,1202213", "12.5,1642991,1202190", "25,1642975,1202204"]);
  });

  it("takes every other column by default, with ids from the header, and labels by channel", () => {
    const { s, trace } = run("time,left plate (g),right\n0,10,20\n0.5,10.5,20\n1,11,20.5\n", {}, { labels: "type,t_start_s,lane,count\nput,0.5,left_plate_g_,1\n", timeBase: "relative" });
    expect(trace.channels.map((c) => c.id)).toEqual(["left_plate_g_", "right"]);
    expect(readFileSync(s.truth!, "utf8")).toBe('{"type":"put","lane":"left_plate_g_","t_start_ms":500,"t_end_ms":500,"count":1}\n');
  });

  it("says when a truth file it did not write lies beside the trace", () => {
    const input = join(tmp, "again.csv");
    writeFileSync(input, "t,w\n0,1\n1,2\n");
    writeFileSync(join(tmp, "labels-again.csv"), "type,t_start_s,lane\nput,0.5,w\n");
    const out = join(tmp, "again");
    const first = importRecording({ input, out, generic: GENERIC, labels: join(tmp, "labels-again.csv"), timeBase: "auto" });
    expect(first.otherTruth).toBeUndefined();
    const second = importRecording({ input, out, generic: GENERIC, timeBase: "auto" });
    expect([second.truth, second.otherTruth]).toEqual([undefined, `${out}.truth.jsonl`]);
  });

  it("refuses with file and line: unknown columns, counts that are not counts, times going back, mismatched planograms", () => {
    const bad = (text: string, generic: Partial<GenericCsvOptions>, extra: Parameters<typeof run>[2] = {}) => {
      try {
        run(text, generic, extra);
      } catch (e) {
        return (e as Error).message.replace(/^.*\/in\d+\.csv/, "IN").replace(/^.*\/p\d+\.json/, "P");
      }
      throw new Error("accepted");
    };
    expect(bad("t,w\n0,1\n", { time: "time" })).toBe('IN:1: no column "time" in the header (columns: t, w)');
    expect(bad("0,1\n", { time: "t", header: false })).toBe('IN:1: column "t" is a name, but the file has no header: give columns by number');
    expect(bad("t,w\n0,1\n", { weights: ["3"] })).toBe("IN:1: column 3 does not exist: the first row has 2 columns");
    expect(bad("t,w,v\n0,1,2\n", { weights: ["w=x", "v=x"] })).toBe("IN:1: two weight columns would both be channel x: name them with COL=ID");
    expect(bad("t,w\n0,1\n1,2\n0.5,3\n", {})).toBe("IN:4: time 0.5 goes back: an earlier row is later");
    expect(bad("t,w\n0,1\n1,1.5e\n", {})).toBe('IN:3: column 2: "1.5e" is not a number');
    expect(bad("t,w\n0,1\n1,12.5\n", { unit: "counts" }, { planogram: { plates: [{ id: "w", offset: 0, g_per_count: 0.001 }] } })).toBe("IN:3: column 2: 12.5 is not a whole number of counts in the HX711's signed 24-bit range");
    expect(bad("t,w\n0,1\n1,2\n", { unit: "counts" })).toBe("IN: a recording in counts needs each channel's offset and g_per_count: give --planogram with them");
    expect(bad("t,w\n0,1\n1,2\n", {}, { planogram: { plates: [{ id: "w" }, { id: "v" }] } })).toBe("P: plate v is not a channel of the CSV (channels: w); map a column to it with --weight COL=v");
    expect(bad("t,w\n0,1\n0,2\n", {})).toBe("IN: cannot measure the sample rate: no channel has two samples at different times; give --rate");
  });

  it("runs from the command line with the flags", () => {
    const input = join(tmp, "cli.csv");
    writeFileSync(input, "ms|g\n0|1\n100|2\n200|3\n");
    const r = spawnSync(process.execPath, ["tools/aisle.mjs", "trace", "import", input, "--out", join(tmp, "cli"), "--time", "ms", "--time-unit", "ms", "--delimiter", "|", "--weight", "g=plate", "--device", "bench-7"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join(tmp, "cli.trace.csv")}: 1 channels, 3 samples in 3 rows, 0.2 s at 10 Hz\n`);
    const t = readTrace(join(tmp, "cli.trace.csv")) as ShelfTrace;
    expect([t.device, t.channels[0].id, t.samples[0].tUs]).toEqual(["bench-7", "plate", [0, 100000, 200000]]);
  });
});

describe("the pieces every form shares", () => {
  it("reads times to the µs digit by digit, rounding the seventh", () => {
    expect(parseTimeUs("1573094128.123456", "s")).toBe(1573094128123456);
    expect(parseTimeUs("1573094128.1234565", "s")).toBe(1573094128123457);
    expect(parseTimeUs(" 1573094128 ", "s")).toBe(1573094128000000);
    expect(parseTimeUs("12.5", "ms")).toBe(12500);
    expect(parseTimeUs("7", "us")).toBe(7);
    expect(parseTimeUs("1.5e3", "s")).toBe(1500000000);
    expect(parseTimeUs("12:00", "s")).toBeUndefined();
  });

  it("spreads runs of one timestamp up to the next, and the last run at the typical interval", () => {
    const s = new SampleSeries("p", "f");
    for (const t of [0, 0, 0, 0, 400, 400, 400, 400, 800, 800]) s.push(t, 1, 1);
    expect(spreadEqualTimes(s)).toBe(7);
    expect([...s.tUs.slice(0, s.length)]).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(rateFromSeries([s])).toBe(10000);
  });
});
