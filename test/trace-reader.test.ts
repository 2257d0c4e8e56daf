import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTrace, readTrace } from "../sim/trace/trace-reader.ts";
import { TraceError, type GateTrace, type ShelfTrace } from "../sim/trace/trace-types.ts";

const SPEC_SHELF = "test/fixtures/traces/spec-shelf.trace.csv";
const SPEC_GATE = "test/fixtures/traces/spec-gate.trace.csv";
const shelfText = readFileSync(SPEC_SHELF, "utf8");

function errorOf(text: string): TraceError {
  try {
    parseTrace(text, "bad.trace.csv");
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError);
    return e as TraceError;
  }
  throw new Error("the trace was accepted");
}

describe("trace format 1 reader", () => {
  it("reads the shelf example of trace-format.md", () => {
    const t = readTrace(SPEC_SHELF) as ShelfTrace;
    expect(t.kind).toBe("shelf");
    expect(t.device).toBe("shelf-a1");
    expect(t.rateHz).toBe(80);
    expect(t.channels.map((c) => [c.id, c.offset, c.gramsPerCount])).toEqual([["p0", 81250, 0.00233], ["p1", -4410, 0.00241]]);
    expect(t.lanes).toEqual([{ id: "A1", channels: [0, 1], sku: "cola-330", unitG: 352 }]);
    expect(t.samples[0]).toEqual({ tUs: [0, 12500, 25000], counts: [1642980, 1642991, 1642975] });
    expect(t.samples[1].counts).toEqual([1202213, 1202190, 1202204]);
    expect(t.sampleCount).toBe(6);
    expect(t.endUs).toBe(25000);
  });

  it("reads the gate example: held signals, admissions as events, emergency", () => {
    const t = readTrace(SPEC_GATE) as GateTrace;
    expect(t.lanes).toEqual(["G1"]);
    expect(t.columns.map((c) => `${c.lane}:${c.signal}`)).toEqual(["0:beam_outer", "0:beam_inner", "0:door_closed", "0:admit", "-1:emergency"]);
    expect(t.initial).toEqual([0, 0, 1, 0, 0]);
    expect(t.changes).toEqual([
      { tUs: 1200000, column: 3, value: "tok-7f3a" },
      { tUs: 1850000, column: 2, value: 0 },
      { tUs: 2100000, column: 0, value: 1 },
      { tUs: 2400000, column: 1, value: 1 },
      { tUs: 2700000, column: 0, value: 0 },
      { tUs: 3100000, column: 1, value: 0 },
      { tUs: 4300000, column: 2, value: 1 },
    ]);
  });

  it("keeps an empty cell as no sample for that channel", () => {
    const t = parseTrace(shelfText.replace("25,1642975,1202204", "25,1642975,"), "x") as ShelfTrace;
    expect(t.samples[0].counts).toHaveLength(3);
    expect(t.samples[1].counts).toHaveLength(2);
  });

  it("turns grams into counts with the channel's own calibration", () => {
    const text = shelfText.replace('# unit: "counts"', '# unit: "grams"').replace(/\n0,.*\n12\.5,.*\n25,.*\n/, "\n0,100,0\n12.5,-2.33,25000\n");
    const t = parseTrace(text, "x") as ShelfTrace;
    expect(t.samples[0].counts).toEqual([81250 + Math.round(100 / 0.00233), 81250 - 1000]);
    // Beyond the converter's range the virtual HX711 saturates like the real one.
    expect(t.samples[1].counts).toEqual([-4410, 8388607]);
  });

  it("accepts CRLF line ends, a byte-order mark, blank and comment lines, and unknown keys", () => {
    const text = "\uFEFF" + shelfText.replace("# device", "# firmware_note: {\"a\": 1}\n# device").replace("t_ms,p0,p1\n", "t_ms,p0,p1\n\n# a comment\n").replace(/\n/g, "\r\n");
    const t = parseTrace(text, "x") as ShelfTrace;
    expect(t.sampleCount).toBe(6);
    expect(t.meta.firmware_note).toEqual({ a: 1 });
  });

  it("gives each channel its own lane when there is no lanes key", () => {
    const t = parseTrace(shelfText.replace(/# lanes:.*\n/, ""), "x") as ShelfTrace;
    expect(t.lanes).toEqual([{ id: "p0", channels: [0] }, { id: "p1", channels: [1] }]);
  });

  const cases: [string, string, number, RegExp][] = [
    ["a wrong first line", shelfText.replace("# aisle-trace 1", "# some-trace 1"), 1, /first line must be "# aisle-trace 1"/],
    ["another version", shelfText.replace("# aisle-trace 1", "# aisle-trace 2"), 1, /unsupported trace version/],
    ["a metadata value that is not JSON", shelfText.replace('# unit: "counts"', "# unit: counts"), 5, /value of "unit" is not JSON/],
    ["a metadata line with no key", shelfText.replace('# unit: "counts"', "# just words"), 5, /must be "# KEY: VALUE"/],
    ["no kind", shelfText.replace('# kind: "shelf"\n', ""), 7, /no "kind"/],
    ["an unknown kind", shelfText.replace('"shelf"', '"fridge"'), 2, /kind must be "shelf" or "gate"/],
    ["no rate", shelfText.replace("# rate_hz: 80\n", ""), 7, /needs "rate_hz"/],
    ["a bad unit", shelfText.replace('"counts"', '"kg"'), 5, /unit must be "counts" or "grams"/],
    ["a column without calibration", shelfText.replace("t_ms,p0,p1", "t_ms,p0,p9"), 8, /column p9 has no entry/],
    ["a calibration without column", shelfText.replace("t_ms,p0,p1", "t_ms,p0").replace(/,1202\d+/g, ""), 6, /channel p1 is in the metadata but has no column/],
    ["a zero g_per_count", shelfText.replace("0.00241", "0"), 6, /g_per_count must be a non-zero number/],
    ["a lane naming a missing channel", shelfText.replace('["p0", "p1"]', '["p0", "p7"]'), 7, /channel "p7" is not a column/],
    ["a header not starting with t_ms", shelfText.replace("t_ms,p0,p1", "time,p0,p1"), 8, /must start with t_ms/],
    ["a time that is not a number", shelfText.replace("12.5,", "12.5ms,"), 10, /t_ms "12.5ms" is not a decimal number/],
    ["time going back", shelfText.replace("25,", "5,"), 11, /goes back in time/],
    ["a short row", shelfText.replace("12.5,1642991,1202190", "12.5,1642991"), 10, /2 cells but the header has 3 columns/],
    ["a fractional count", shelfText.replace("1642991", "1642991.5"), 10, /not a whole number of counts/],
    ["a count beyond 24 bits", shelfText.replace("1642991", "9000000"), 10, /outside the HX711's signed 24-bit range/],
    ["garbage in a cell", shelfText.replace("1642991", "0x1F"), 10, /"0x1F" is not a number/],
    ["a header but no rows", shelfText.replace(/\n0,[\s\S]*$/, "\n"), 8, /no data rows/],
  ];
  for (const [what, text, line, message] of cases) {
    it(`rejects ${what}, naming file and line ${line}`, () => {
      const e = errorOf(text);
      expect(e.line).toBe(line);
      expect(e.message).toMatch(message);
      expect(e.message.startsWith(`bad.trace.csv:${line}: `)).toBe(true);
    });
  }

  it("rejects gate cells other than 0 and 1, and unknown gate columns", () => {
    const gate = readFileSync(SPEC_GATE, "utf8");
    expect(errorOf(gate.replace("2400,,1", "2400,,2")).message).toMatch(/^bad.trace.csv:9: column G1.beam_inner: "2" must be 0 or 1/);
    expect(errorOf(gate.replace("G1.admit", "G1.badge")).message).toMatch(/^bad.trace.csv:4: gate column "G1.badge" must be/);
  });

  it("rejects an empty file and a missing file", () => {
    expect(errorOf("").message).toMatch(/the file is empty|first line/);
    expect(() => readTrace("test/fixtures/traces/none.trace.csv")).toThrow(/none.trace.csv: cannot read: ENOENT/);
  });
});
