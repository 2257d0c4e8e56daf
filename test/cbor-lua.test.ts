import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { luaBundle } from "../tools/build/lua-bundle.ts";
import { cborxEncode, hex, plainValue, type Plain } from "./support/cbor-host.ts";

/*
 * The same codec under typescript-to-lua: test/fixtures/cbor-main.ts encodes a fixed set of
 * values, decodes vectors cbor-x wrote (and some written by hand), and feeds itself hostile and
 * random input; lua5.1, lua5.3 and luajit must print what JS prints, line for line.
 */
const FIXED: Plain[] = [
  0, 24, 65536, 2 ** 32, 2 ** 53 - 1, -(2 ** 53), -257, 0.1, -2.5, 1e300, 5e-324, Infinity, -Infinity, NaN, 2 ** 53, 1e-310,
  "", "x".repeat(24), "é€😀", Uint8Array.of(0, 255), true, false, null, undefined, [], {},
  { v: 1, dev: "shelf-01", boot: 12, seq: 2 ** 40, type: "pick", lane: 3, t_ms: 123456789, grams: -355.25, count: null, confidence: 0.97, sku: "" },
  [[1, [2, [3, [4]]]], { a: { b: { c: [Uint8Array.of(1)] } } }],
];
const BY_HAND = ["f93e00", "fa3fc00000", "fb3ff8000000000000", "f98000", "fa80000000", "fb8000000000000000", "f90001", "f903ff", "fa00000001",
  "fb000fffffffffffff", "f97bff", "fa7f7fffff", "fb7fefffffffffffff", "f97e00", "fa7fc00000", "f97c00", "fbfff0000000000000",
  "1805", "190005", "1a00000005", "1b0000000000000005", "1b001fffffffffffff", "3b001fffffffffffff", "a2616101616102", "b9000161610f", "9800", "5800", "780161"];

const vectors = [
  ...BY_HAND,
  ...FIXED.map((v) => hex(cborxEncode(v))),
  ...fc.sample(plainValue, { seed: 20240611, numRuns: 150 }).map((v) => hex(cborxEncode(v))).filter((h) => h.length < 2000),
];
const GARBAGE_RUNS = 6000;

describe("the CBOR codec under Lua", () => {
  it("prints the same lines in JS, under lua5.1, lua5.3 and luajit: encodings, decodings, refusals", async () => {
    const g = globalThis as { print?: (s: string) => void; VECTORS?: string[]; GARBAGE_RUNS?: number };
    const lines: string[] = [];
    g.print = (s: string) => lines.push(s);
    g.VECTORS = vectors;
    g.GARBAGE_RUNS = GARBAGE_RUNS;
    try {
      await import("./fixtures/cbor-main.ts");
    } finally {
      delete g.print;
      delete g.VECTORS;
      delete g.GARBAGE_RUNS;
    }
    // What JS prints is right in itself, not only the same as Lua.
    expect(lines[0]).toMatch(/^ints 00002000 01202101 17363717 18183738181818 /);
    expect(lines[0]).toContain(" 1b001fffffffffffff3b001ffffffffffffe3b001fffffffffffff1b001fffffffffffff ");
    expect(lines.filter((l) => l.startsWith("num ")).slice(0, 9)).toEqual(
      ["fb3fb999999999999a", "f9c100", "fb7e37e43c8800759c", "fb0000000000000001", "f93e00", "f97c00", "f9fc00", "f97e00", "f98000"].map((h) => "num " + h),
    );
    expect(lines.find((l) => l.startsWith("doc "))).toMatch(/^doc 65\d{3} [0-9a-f]{4} a661760163646576687368656c662d3031656772616d73f9df82/);
    const decoded = lines.slice(lines.findIndex((l) => l.startsWith("doc back")) + 1, lines.findIndex((l) => l.startsWith("prefixes")));
    expect(decoded).toHaveLength(vectors.length);
    expect(decoded.filter((l) => !l.startsWith("ok ")), "every vector decodes").toEqual([]);
    expect(decoded[0]).toBe("ok nf93e00");
    expect(decoded[3]).toBe("ok nf98000");
    const prefixes = /^prefixes (\d+) refused (\d+) /.exec(lines.find((l) => l.startsWith("prefixes")) ?? "");
    expect(prefixes?.[1]).toBe(prefixes?.[2]);
    expect(Number(prefixes?.[1])).toBeGreaterThan(1000);
    expect(lines).toContain("deep error nesting too deep at 16 / ok [[[[[[[[[[[[[[[[[");
    for (const [h, error] of [["5bffffffffffffffff", "length beyond input at 0"], ["9affffffff", "length beyond input at 0"], ["1b0020000000000000", "integer too large at 0"],
      ["ff", "unexpected break at 0"], ["9f", "indefinite length unsupported at 0"], ["c100", "tags unsupported at 0"], ["a10102", "map key not text at 1"],
      ["0000", "trailing bytes at 1"], ["fa7fc0", "truncated at 0"], ["1c", "reserved additional info at 0"]]) {
      expect(lines).toContain(`${h} error ${error}`);
    }
    const garbage = /^garbage (\d+) ok (\d+) digest [0-9a-f]{4}$/.exec(lines[lines.length - 1]);
    expect(garbage?.[1]).toBe(String(GARBAGE_RUNS));
    expect(Number(garbage?.[2])).toBeGreaterThan(GARBAGE_RUNS / 20);

    const dir = mkdtempSync(join(tmpdir(), "aisle-cbor-"));
    const globals = `VECTORS = {${vectors.map((v) => `"${v}"`).join(",")}}\nGARBAGE_RUNS = ${GARBAGE_RUNS}\n`;
    for (const [lua, target] of [["lua5.1", "5.1"], ["lua5.3", "5.3"], ["luajit", "5.1"]] as const) {
      const file = join(dir, `cbor-${lua}.lua`);
      writeFileSync(file, globals + luaBundle(resolve("test/fixtures/cbor-main.ts"), target, "cbor.lua"));
      const out = execFileSync(lua, [file], { encoding: "utf8", maxBuffer: 64 << 20 }).trimEnd().split("\n");
      expect(out, lua).toEqual(lines);
    }
  });
});
