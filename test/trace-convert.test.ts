import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const aisle = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["tools/aisle.mjs", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const DEMO = "data/demo/shelf-demo.trace.csv";

describe("aisle trace convert", () => {
  it("converts CSV to binary and back, byte for byte, and says what it wrote", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-convert-"));
    const bin = join(dir, "demo.trace.bin");
    const back = join(dir, "demo.trace.csv");
    const r = aisle("trace", "convert", DEMO, bin);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${bin}: shelf trace, 4,801 rows, 19,204 samples\n`);
    expect(aisle("trace", "convert", bin, back).code).toBe(0);
    expect(readFileSync(back, "utf8")).toBe(readFileSync(DEMO, "utf8"));
    expect(readdirSync(dir).sort()).toEqual(["demo.trace.bin", "demo.trace.csv"]);
  });

  it("refuses unknown suffixes, a missing input and IN == OUT with exit code 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-convert-"));
    const suffix = aisle("trace", "convert", DEMO, join(dir, "demo.bin"));
    expect(suffix.code).toBe(2);
    expect(suffix.err).toContain("the output must be NAME.trace.csv (CSV) or NAME.trace.bin (binary)");
    expect(aisle("trace", "convert", "data/demo/shelf-demo.truth.jsonl", join(dir, "x.trace.bin")).err).toContain("the input must be NAME.trace.csv");
    const missing = aisle("trace", "convert", join(dir, "none.trace.csv"), join(dir, "x.trace.bin"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`no such trace: ${join(dir, "none.trace.csv")}`);
    const copy = join(dir, "a.trace.csv");
    writeFileSync(copy, readFileSync(DEMO));
    const same = aisle("trace", "convert", copy, join(dir, ".", "a.trace.csv"));
    expect(same.code).toBe(2);
    expect(same.err).toContain("is the input");
    expect(readFileSync(copy, "utf8")).toBe(readFileSync(DEMO, "utf8"));
    expect(readdirSync(dir)).toEqual(["a.trace.csv"]);
  });

  it("leaves no output, and an older output untouched, when the input is malformed half way", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-convert-"));
    const lines = readFileSync(DEMO, "utf8").split("\n");
    lines[3000] = lines[3000].replace(",", ",12x");
    const bad = join(dir, "bad.trace.csv");
    writeFileSync(bad, lines.join("\n"));
    const out = join(dir, "bad.trace.bin");
    const r = aisle("trace", "convert", bad, out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^aisle: ${bad}:3001: column p0: "12x\\d+" is not a number\\n$`));
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, "older");
    expect(aisle("trace", "convert", bad, out).code).toBe(1);
    expect(readFileSync(out, "utf8")).toBe("older");
    expect(readdirSync(dir).sort()).toEqual(["bad.trace.bin", "bad.trace.csv"]);
  });

  it("names the byte of a corrupt binary input, and an output folder that is not there", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-convert-"));
    const bin = join(dir, "d.trace.bin");
    expect(aisle("trace", "convert", DEMO, bin).code).toBe(0);
    const data = readFileSync(bin);
    data[5000] ^= 4;
    writeFileSync(bin, data);
    const r = aisle("trace", "convert", bin, join(dir, "d.trace.csv"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^aisle: ${bin}: at byte \\d+: "ROWS" block: CRC-32 mismatch \\(corrupt\\)\\n$`));
    expect(existsSync(join(dir, "d.trace.csv"))).toBe(false);
    const nowhere = aisle("trace", "convert", DEMO, join(dir, "no", "such", "x.trace.bin"));
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toContain("x.trace.bin: cannot write: ENOENT");
  });
});
