import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gateDemo } from "../sim/gen/gate-demo.ts";
import { Random } from "../sim/gen/random.ts";
import { renderShelf } from "../sim/gen/shelf-render.ts";
import { SCENARIO_NAMES, buildScene } from "../sim/gen/shelf-scenarios.ts";
import { convertTrace } from "../sim/trace/convert-trace.ts";
import { CsvBytes } from "../sim/trace/csv-bytes.ts";
import { openRawTrace, openTraceStream } from "../sim/trace/open-trace-stream.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import type { ShelfStream } from "../sim/trace/trace-stream.ts";
import { TraceError, type Trace } from "../sim/trace/trace-types.ts";

const dir = mkdtempSync(join(tmpdir(), "aisle-bin-"));
let n = 0;
const path = (suffix: string) => join(dir, `t${n++}${suffix}`);
function csvFile(text: string): string {
  const p = path(".trace.csv");
  writeFileSync(p, text);
  return p;
}
const plain = (t: Trace) => ({ ...t, file: "" });

/** CSV → binary → CSV; returns both paths. */
function roundTrip(csv: string): { bin: string; back: string } {
  const bin = path(".trace.bin");
  const back = path(".trace.csv");
  convertTrace(csv, bin);
  convertTrace(bin, back);
  return { bin, back };
}

/** Everything a trace holds as written: preamble, t_ms and grams (Object.is), or gate cells. */
function written(file: string): unknown {
  const raw = openRawTrace(file, { chunkRows: 1 << 30 });
  if (raw.kind === "gate") return { preamble: raw.preamble, rows: raw.rows };
  const rows: unknown[] = [];
  for (let c = raw.stream.nextRaw(); c !== undefined; c = raw.stream.nextRaw()) {
    for (let r = 0; r < c.rows; r++) rows.push([Object.is(c.tMs[r], -0) ? "-0" : c.tMs[r], ...(c.grams ?? c.counts).map((col) => (Object.is(col[r], -0) ? "-0" : col[r]))]);
  }
  return { preamble: raw.preamble, rows };
}

const SPEC_SHELF = readFileSync("test/fixtures/traces/spec-shelf.trace.csv", "utf8");
const ours = [
  ...["data/demo/shelf-demo", "data/demo/gate-demo", "test/fixtures/traces/spec-shelf", "test/fixtures/traces/spec-gate"].map((f) => readFileSync(`${f}.trace.csv`, "utf8")),
  ...SCENARIO_NAMES.map((name, i) => renderShelf(buildScene(name, { seed: 5, rateHz: i % 2 === 0 ? 80 : 10, durationS: 25 }), new Random(6)).trace),
  gateDemo(3, 30).trace,
];

describe("the binary trace form", () => {
  it("round-trips every trace our tools write byte for byte, and reads back the same trace", () => {
    for (const text of ours) {
      const csv = csvFile(text);
      const { bin, back } = roundTrip(csv);
      expect(readFileSync(back, "utf8")).toBe(text);
      expect(plain(readTrace(bin))).toEqual(plain(readTrace(csv)));
      const again = path(".trace.bin");
      convertTrace(back, again);
      expect(readFileSync(again).equals(readFileSync(bin))).toBe(true);
    }
  });

  it("keeps every value of unusual CSV: number spellings, -0, t_ms finer than a µs, unknown keys in order, quoted tokens", () => {
    const grams = SPEC_SHELF.replace('"counts"', '"grams"').replace("# device", '# zeta: [1, "z"]\n# alpha: {"b": null}\n# device')
      .replace(/\n0,[\s\S]*$/, "\n-0,+1.5e2, 3 \n0.0001234,-0,\n0.0001234,1e400,-.5\r\n\n# note\n12.3456789,0.1,-2.5E-3\n");
    const gate = readFileSync("test/fixtures/traces/spec-gate.trace.csv", "utf8").replace("tok-7f3a", '"tok,""7f3a"""').replace("1850,,,0,,", "1850.0000001,,,0,0,");
    for (const text of [grams, gate]) {
      const csv = csvFile(text);
      const { bin, back } = roundTrip(csv);
      expect(written(bin)).toEqual(written(csv));
      expect(written(back)).toEqual(written(csv));
      expect(plain(readTrace(back))).toEqual(plain(readTrace(csv)));
    }
    expect((written(csvFile(grams)) as { preamble: string[] }).preamble.slice(1, 3)).toEqual(['# zeta: [1, "z"]', '# alpha: {"b": null}']);
  });

  it("streams the same chunks from binary as from CSV, also through a buffer smaller than a block", () => {
    const csv = csvFile(ours[4]);
    const { bin } = roundTrip(csv);
    const rows = (file: string, bufferBytes?: number) => {
      const s = openTraceStream(file, { bufferBytes }) as ShelfStream;
      const out: number[][] = [];
      for (let c = s.next(); c !== undefined; c = s.next()) for (let r = 0; r < c.rows; r++) out.push([c.tUs[r], ...c.counts.map((col) => col[r])]);
      return { out, samples: s.sampleCount, endUs: s.endUs };
    };
    const want = rows(csv);
    expect(rows(bin)).toEqual(want);
    expect(rows(bin, 16)).toEqual(want);
  });
});

describe("CSV written from bytes", () => {
  it("prints times and counts exactly as String() does", () => {
    const rnd = new Random(17);
    const times: [number, number][] = [[0, 0], [-0, -0], [12.5, 12500], [0.001, 1], [0.0001234, 0], [1e21, 1e24], [2 ** 42 / 1000, 2 ** 42], [(2 ** 42 - 1) / 1000, 2 ** 42 - 1]];
    for (let i = 0; i < 20000; i++) {
      const tUs = Math.floor(rnd.next() * 2 ** rnd.int(0, 44));
      times.push([tUs / 1000, tUs], [tUs / 1000 + rnd.next() / 1e4, Math.round((tUs / 1000 + rnd.next() / 1e4) * 1000)]);
    }
    const ints = [0, 1, -1, 9, 10, -8388608, 8388607, 999999999999999, -999999999999999, ...Array.from({ length: 20000 }, () => Math.round((rnd.next() - 0.5) * 2 ** rnd.int(0, 49)))];
    const p = path(".txt");
    const fd = openSync(p, "w");
    const out = new CsvBytes(fd);
    for (const [tMs, tUs] of times) {
      out.time(tMs, tUs);
      out.byte(10);
    }
    for (const v of ints) {
      out.int(v);
      out.byte(10);
    }
    out.flush();
    closeSync(fd);
    const want = [...times.map(([t]) => (Object.is(t, -0) ? "-0" : String(t))), ...ints.map(String)].join("\n") + "\n";
    expect(readFileSync(p, "utf8")).toBe(want);
  });
});

describe("a damaged binary trace", () => {
  const good = roundTrip(csvFile(SPEC_SHELF)).bin;
  const gateBin = roundTrip(csvFile(readFileSync("test/fixtures/traces/spec-gate.trace.csv", "utf8"))).bin;
  const bytes = readFileSync(good);

  function errorOf(data: Buffer): string {
    const p = path(".trace.bin");
    writeFileSync(p, data);
    try {
      readTrace(p);
    } catch (e) {
      expect(e).toBeInstanceOf(TraceError);
      expect((e as TraceError).message.startsWith(`${p}: `)).toBe(true);
      return (e as TraceError).message.slice(p.length + 2);
    }
    throw new Error("the damaged trace was accepted");
  }

  it("is refused at every length it could be cut to, naming the byte", () => {
    for (const file of [good, gateBin]) {
      const data = readFileSync(file);
      for (let len = 0; len < data.length; len++) expect(errorOf(data.subarray(0, len))).toMatch(/truncated|not a binary aisle trace/);
    }
    expect(errorOf(bytes.subarray(0, bytes.length - 8))).toMatch(/^at byte \d+: "END " block claims 24 bytes but the file ends at byte \d+ \(truncated\)/);
  });

  it("is refused with any one bit flipped", () => {
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0, 7]) {
        const data = Buffer.from(bytes);
        data[i] ^= 1 << bit;
        expect(errorOf(data)).toMatch(/corrupt|not a binary aisle trace|unsupported binary trace version|truncated/);
      }
    }
  });

  it("refuses a hostile length without allocating it, a missing block, trailing bytes and an unknown version", () => {
    const huge = Buffer.from(bytes);
    huge.writeUInt32LE(0xfffffff8, 16 + 12);
    expect(errorOf(huge)).toMatch(/^at byte 16: "META" block claims a payload of 4294967288 bytes/);
    const longer = Buffer.concat([bytes, Buffer.alloc(8)]);
    expect(errorOf(longer)).toMatch(/"END " block: 8 bytes follow the END block/);
    const v2 = Buffer.from(bytes);
    v2.writeUInt32LE(2, 8);
    expect(errorOf(v2)).toBe("unsupported binary trace version 2: this reader knows version 1");
    expect(errorOf(Buffer.from(SPEC_SHELF))).toMatch(/not a binary aisle trace/);
    // Drop the ROWS block: every block left is whole, but the END block's totals disagree.
    const two = path(".trace.csv");
    writeFileSync(two, SPEC_SHELF);
    const bin = path(".trace.bin");
    convertTrace(two, bin);
    const all = readFileSync(bin);
    const metaEnd = 16 + 24 + all.readUInt32LE(16 + 12);
    const rowsEnd = metaEnd + 24 + all.readUInt32LE(metaEnd + 12);
    expect(errorOf(Buffer.concat([all.subarray(0, metaEnd), all.subarray(rowsEnd)]))).toMatch(/"END " block: the file should hold 3 rows, 6 samples in 1 blocks, but holds 0, 0 in 0 \(blocks missing\)/);
  });
});
