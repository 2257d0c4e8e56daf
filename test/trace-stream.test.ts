import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Random } from "../sim/gen/random.ts";
import { renderShelf } from "../sim/gen/shelf-render.ts";
import { buildScene } from "../sim/gen/shelf-scenarios.ts";
import { openTraceStream, type OpenTraceOptions } from "../sim/trace/open-trace-stream.ts";
import { parseTrace, readTrace } from "../sim/trace/trace-reader.ts";
import { NO_SAMPLE, type ShelfStream } from "../sim/trace/trace-stream.ts";
import { TraceError, type Trace } from "../sim/trace/trace-types.ts";
import { parseTrace as parseTraceV0 } from "./fixtures/trace-parser-v0.ts";

const dir = mkdtempSync(join(tmpdir(), "aisle-stream-"));
const SPEC_SHELF = readFileSync("test/fixtures/traces/spec-shelf.trace.csv", "utf8");
const SPEC_GATE = readFileSync("test/fixtures/traces/spec-gate.trace.csv", "utf8");
const GRAMS = SPEC_SHELF.replace('"counts"', '"grams"').replace(/\n0,[\s\S]*$/, "\n0,100.25,-3\n12.5,,0.001\n25,1e3,\n25,-0.5,7.75\n");

let n = 0;
function fileOf(text: string): string {
  const path = join(dir, `t${n++}.trace.csv`);
  writeFileSync(path, text);
  return path;
}

/** -0 and 0 are the same count; the old reader kept the sign of "-0". */
const plain = (t: Trace) => JSON.parse(JSON.stringify({ ...t, file: "" }));

/** What the reader before streaming gave: the trace, or its error message. */
function oracle(text: string, file: string): unknown {
  try {
    return plain(parseTraceV0(text, file));
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    return e.message;
  }
}

function attempt(read: () => Trace): unknown {
  try {
    return plain(read());
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    return e.message;
  }
}

/** Drains a stream of a file into a trace as readTrace gives it, checking the chunk sizes. */
function streamed(file: string, options: OpenTraceOptions): Trace {
  const s = openTraceStream(file, options);
  if (!("next" in s)) return s;
  const samples = s.header.channels.map(() => ({ tUs: [] as number[], counts: [] as number[] }));
  for (let c = s.next(); c !== undefined; c = s.next()) {
    expect(c.rows).toBeGreaterThan(0);
    expect(c.rows).toBeLessThanOrEqual(options.chunkRows ?? 4096);
    for (let r = 0; r < c.rows; r++) {
      samples.forEach((ch, i) => {
        if (c.counts[i][r] === NO_SAMPLE) return;
        ch.tUs.push(c.tUs[r]);
        ch.counts.push(c.counts[i][r]);
      });
    }
  }
  return { ...s.header, samples, sampleCount: s.sampleCount, endUs: s.endUs };
}

const generated = ["single", "faults", "noisy"].flatMap((name) => [80, 10].map((rateHz) => renderShelf(buildScene(name, { seed: 3, rateHz, durationS: 30 }), new Random(4)).trace));

describe("the streaming CSV reader", () => {
  it("gives the trace the reader before streaming gave, for the demos, the fixtures and generated traces", () => {
    const texts = ["data/demo/shelf-demo.trace.csv", "data/demo/gate-demo.trace.csv"].map((f) => readFileSync(f, "utf8"));
    for (const text of [...texts, SPEC_SHELF, SPEC_GATE, GRAMS, ...generated]) {
      const file = fileOf(text);
      const want = oracle(text, file);
      expect(typeof want).toBe("object");
      expect(plain(readTrace(file))).toEqual(want);
      expect(plain(streamed(file, { chunkRows: 1000 }))).toEqual(want);
    }
  });

  it("reads the same whatever the buffer and chunk sizes, with lines cut anywhere: CRLF, BOM, comments, quotes, spaces, grams", () => {
    const odd = "\uFEFF" + SPEC_SHELF.replace("t_ms,p0,p1\n", "t_ms,p0,p1\n\n# a comment line longer than the smallest buffer, so that it has to grow\n  \n")
      .replace("12.5,1642991,1202190", ' 12.5 ,"1642991", +1202190')
      .replace(/\n/g, "\r\n") + "25.0,,1.2e1\r\n30,-8388608,8388607";
    for (const text of [odd, GRAMS, GRAMS.replace(/\n/g, "\r\n"), generated[1]]) {
      const file = fileOf(text);
      const want = oracle(text, file);
      for (const bufferBytes of [16, 17, 23, 61, 4096]) {
        for (const chunkRows of [1, 3, 4096]) expect(plain(streamed(file, { bufferBytes, chunkRows }))).toEqual(want);
      }
    }
  });

  it("parses plain decimals exactly as Number() does, and counts at the edges of 24 bits", () => {
    const rnd = new Random(9);
    const digits = (k: number) => Array.from({ length: k }, () => rnd.int(0, 9)).join("");
    const rows: string[] = [];
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += rnd.int(1, 3);
      const frac = digits(rnd.int(0, 9));
      const g = () => (rnd.next() < 0.1 ? "" : `${rnd.next() < 0.5 ? "-" : ""}${digits(rnd.int(0, 8))}.${digits(rnd.int(1, 7))}`);
      rows.push(`${t}${frac === "" ? "" : "." + frac},${g()},${g()}`);
    }
    const grams = GRAMS.replace(/\n0,[\s\S]*$/, "\n" + rows.join("\n") + "\n");
    const counts = SPEC_SHELF.replace(/\n0,[\s\S]*$/, "\n" + ["0,-8388608,8388607", "1,-0,0", "2,,-1", "3,00000012,8388606", "4,-8388607,"].join("\n") + "\n");
    for (const text of [grams, counts]) {
      const file = fileOf(text);
      expect(plain(streamed(file, { bufferBytes: 64, chunkRows: 100 }))).toEqual(oracle(text, file));
    }
  });

  it("gives exactly the old reader's error, file and line for every mutation of a trace, through any buffer", () => {
    const rnd = new Random(21);
    const alphabet = ["0", "1", "9", ".", ",", "-", "+", "e", " ", "\r", "\n", "#", '"', "x", "\uFEFF", "", "12345678"];
    let errors = 0;
    for (const base of [SPEC_SHELF, GRAMS, SPEC_GATE]) {
      for (let i = 0; i < 250; i++) {
        let text = base;
        for (let k = rnd.int(1, 3); k > 0; k--) {
          const at = rnd.int(0, text.length);
          text = text.slice(0, at) + alphabet[rnd.int(0, alphabet.length - 1)] + text.slice(at + rnd.int(0, 2));
        }
        const file = fileOf(text);
        const want = oracle(text, file);
        if (typeof want === "string") errors++;
        expect(attempt(() => parseTrace(text, file))).toEqual(want);
        expect(attempt(() => streamed(file, { bufferBytes: 16, chunkRows: 2 }))).toEqual(want);
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it("hands out the rows before a malformed one, then throws it from next() with file and line", () => {
    const text = generated[0];
    const lines = text.split("\n");
    const bad = lines.findIndex((l) => l.startsWith("t_ms")) + 2000;
    lines[bad] = lines[bad].replace(",", ",x");
    const file = fileOf(lines.join("\n"));
    for (const bufferBytes of [64, 1 << 20]) {
      const s = openTraceStream(file, { bufferBytes, chunkRows: 500 }) as ShelfStream;
      let rows = 0;
      let error: unknown;
      try {
        for (let c = s.next(); c !== undefined; c = s.next()) rows += c.rows;
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TraceError);
      expect((error as TraceError).message).toMatch(new RegExp(`^${file}:${bad + 1}: column p\\d+: "x.*" is not a number`));
      expect(rows).toBe(1500);
      expect(s.next()).toBeUndefined();
    }
  });

  it("opens a gate trace whole", () => {
    const file = fileOf(SPEC_GATE);
    const s = openTraceStream(file);
    expect("next" in s).toBe(false);
    expect(plain(s as Trace)).toEqual(oracle(SPEC_GATE, file));
  });

  it("names a missing file", () => {
    expect(() => openTraceStream(join(dir, "none.trace.csv"))).toThrow(/none.trace.csv: cannot read: ENOENT/);
  });
});
