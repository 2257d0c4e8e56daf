import fc from "fast-check";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cborDecode } from "../firmware/core/cbor-reader.ts";
import { CBOR_NULL, CBOR_UNDEFINED, CborBytes, CborSimple } from "../firmware/core/cbor-value.ts";
import { CborWriter } from "../firmware/core/cbor-writer.ts";
import { checkDialect } from "../tools/dialect/check.ts";
import { cborxDecode, cborxEncode, difference, hex, oursEncode, plainValue, toPlain, unhex, type Plain } from "./support/cbor-host.ts";

/** Ours decodes s to what cbor-x decodes it to. */
function expectAgree(s: string, what = hex(s)): void {
  const r = cborDecode(s, 64);
  expect(r.error, what).toBe("");
  expect(r.ok).toBe(true);
  expect(r.at).toBe(s.length);
  expect(difference(toPlain(r.value), cborxDecode(s)), what).toBe("");
}

const INTS: [number, string][] = [
  [0, "00"], [23, "17"], [24, "1818"], [255, "18ff"], [256, "190100"], [65535, "19ffff"], [65536, "1a00010000"],
  [2 ** 32 - 1, "1affffffff"], [2 ** 32, "1b0000000100000000"], [2 ** 53 - 1, "1b001fffffffffffff"],
  [-1, "20"], [-24, "37"], [-25, "3818"], [-256, "38ff"], [-257, "390100"], [-65536, "39ffff"], [-65537, "3a00010000"],
  [-(2 ** 32), "3affffffff"], [-(2 ** 32) - 1, "3b0000000100000000"], [-(2 ** 53), "3b001fffffffffffff"],
];

describe("integers", () => {
  it("take the shortest head at every width's edges, both signs, and read back on both sides", () => {
    for (const [n, h] of INTS) {
      const ours = new CborWriter().num(n).done();
      expect(hex(ours), String(n)).toBe(h);
      expect(hex(new CborWriter().int(n).done())).toBe(h);
      expect(cborxDecode(ours)).toBe(n);
      expect(cborDecode(ours, 0)).toEqual({ ok: true, value: n, error: "", at: ours.length });
      // cbor-x writes integers beyond 32 bits as float64: ours reads that too.
      if (Math.abs(n) < 2 ** 32) expect(hex(cborxEncode(n))).toBe(h);
      expectAgree(cborxEncode(n));
    }
  });

  it("beyond -2^53 .. 2^53-1 go out as floats, and 8-byte heads beyond are refused, not rounded", () => {
    expect(hex(new CborWriter().num(2 ** 53).done())).toBe("fa5a000000");
    expect(hex(new CborWriter().num(-(2 ** 53) - 2).done())).toBe("fbc340000000000001");
    for (const h of ["1b0020000000000000", "3b0020000000000000", "1b0020000000000001", "1bffffffffffffffff", "3bffffffffffffffff"]) {
      expect(cborDecode(unhex(h), 4), h).toEqual({ ok: false, value: CBOR_UNDEFINED, error: "integer too large", at: 0 });
    }
    // Every head width may carry a small value (not the shortest, still well-formed).
    for (const h of ["1805", "190005", "1a00000005", "1b0000000000000005"]) expect(cborDecode(unhex(h), 0).value).toBe(5);
  });
});

const FLOATS: [number, string][] = [
  [0.1, "fb3fb999999999999a"], [-2.5, "f9c100"], [1e300, "fb7e37e43c8800759c"], [5e-324, "fb0000000000000001"],
  [1.5, "f93e00"], [Infinity, "f97c00"], [-Infinity, "f9fc00"], [NaN, "f97e00"], [-0, "f98000"],
  [65504.5, "fa477fe080"], [2 ** -24, "f90001"], [2 ** -14, "f90400"], [2 ** -25, "fa33000000"], [2 ** -149, "fa00000001"],
  [3.4028234663852886e38, "fa7f7fffff"], [Number.MAX_VALUE, "fb7fefffffffffffff"], [2.2250738585072014e-308, "fb0010000000000000"],
  [1e-310, "fb000012688b70e62b"], [1 / 3, "fb3fd5555555555555"], [-480.5, "f9df82"], [1000.125, "fa447a0800"],
];

/** Every value a half holds, from cbor-x's decoding of all 65,536 patterns. */
const HALVES = new Set<number>();
for (let b = 0; b < 65536; b++) HALVES.add(cborxDecode(unhex("f9" + b.toString(16).padStart(4, "0"))) as number);

describe("floats", () => {
  it("go out in the shortest width that holds them exactly, and read back bit for bit on both sides", () => {
    for (const [x, h] of FLOATS) {
      const ours = new CborWriter().num(x).done();
      expect(hex(ours), String(x)).toBe(h);
      expect(Object.is(cborxDecode(ours), x), String(x)).toBe(true);
      expect(Object.is(cborDecode(ours, 0).value, x), String(x)).toBe(true);
      expectAgree(cborxEncode(x));
    }
  });

  it("read as half, single and double written by hand", () => {
    const cases: [number, string[]][] = [
      [1.5, ["f93e00", "fa3fc00000", "fb3ff8000000000000"]],
      [-0, ["f98000", "fa80000000", "fb8000000000000000"]],
      [NaN, ["f97e00", "fa7fc00000", "fb7ff8000000000000", "f97c01", "fbfff0000000000001"]],
      [Infinity, ["f97c00", "fa7f800000", "fb7ff0000000000000"]],
      [-Infinity, ["f9fc00", "faff800000", "fbfff0000000000000"]],
      [65504, ["f97bff"]], [2 ** -24, ["f90001"]], [(1023 / 1024) * 2 ** -14, ["f903ff"]], [-(2 ** -149), ["fa80000001"]],
      [(2 ** 23 - 1) * 2 ** -149, ["fa007fffff"]], [(2 ** 52 - 1) * 2 ** -1074, ["fb000fffffffffffff"]],
    ];
    for (const [x, hs] of cases) {
      for (const h of hs) {
        expect(Object.is(cborDecode(unhex(h), 0).value, x), h).toBe(true);
        expect(Object.is(cborxDecode(unhex(h)), x), h).toBe(true);
      }
    }
  });

  it("read every half pattern as cbor-x does, and random single and double patterns as DataView does", () => {
    for (let b = 0; b < 65536; b++) {
      const h = "f9" + b.toString(16).padStart(4, "0");
      expect(Object.is(cborDecode(unhex(h), 0).value, cborxDecode(unhex(h))), h).toBe(true);
    }
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (hi, lo) => {
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, hi);
      view.setUint32(4, lo);
      const bytes = Buffer.from(view.buffer).toString("latin1");
      expect(Object.is(cborDecode("\xfa" + bytes.slice(0, 4), 0).value, view.getFloat32(0))).toBe(true);
      expect(Object.is(cborDecode("\xfb" + bytes, 0).value, view.getFloat64(0))).toBe(true);
    }), { numRuns: 20000 });
  });

  it("of any value come back exact, in the shortest width that holds them", () => {
    fc.assert(fc.property(fc.oneof(fc.double(), fc.float().map((x) => x), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((n) => n / 1024)), (x) => {
      const ours = new CborWriter().num(x).done();
      expect(Object.is(cborDecode(ours, 0).value, x)).toBe(true);
      expect(Object.is(cborxDecode(ours), x)).toBe(true);
      const whole = Number.isInteger(x) && x >= -(2 ** 53) && x < 2 ** 53 && !Object.is(x, -0);
      if (whole) expect(ours.charCodeAt(0)).toBeLessThan(0x40);
      else expect(ours.length).toBe(HALVES.has(x) || Number.isNaN(x) ? 3 : Math.fround(x) === x ? 5 : 9);
    }), { numRuns: 20000 });
  });
});

describe("strings, arrays, maps", () => {
  it("text and byte strings of every head width match cbor-x byte for byte", () => {
    for (const n of [0, 1, 23, 24, 255, 256, 65535, 65536]) {
      const text = "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil(n / 26) + 1).slice(0, n);
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
      for (const v of [text, bytes, Array.from({ length: n }, (_, i) => i % 30)] as Plain[]) {
        const ours = oursEncode(v);
        expect(ours, `${n}`).toBe(cborxEncode(v));
        expect(difference(cborxDecode(ours), v)).toBe("");
        expectAgree(ours);
      }
    }
    const bytes = cborDecode(oursEncode(Uint8Array.of(0, 255, 128)), 0).value;
    expect(bytes).toBeInstanceOf(CborBytes);
    expect((bytes as CborBytes).data).toBe("\x00\xff\x80");
    // Text comes back as its bytes, UTF-8 unchecked.
    expect(cborDecode(oursEncode("é€"), 0).value).toBe("\xc3\xa9\xe2\x82\xac");
    expect(cborDecode("\x62\xff\xfe", 0).value).toBe("\xff\xfe");
  });

  it("a document with every kind of item nested reads the same on both sides", () => {
    const doc: Plain = {
      v: 1, dev: "shelf-01", grams: -480.5, count: null, ok: true, no: false, ratio: 0.1,
      lanes: [{ lane: 0, unit_g: 355.25, sku: "juice" }, { lane: 1, unit_g: 48, sku: "" }, [], {}],
      raw: Uint8Array.of(1, 2, 3), nested: [[[[1, [2, [3, { deep: [true] }]]]]]],
    };
    const ours = oursEncode(doc);
    expect(difference(cborxDecode(ours), doc)).toBe("");
    const back = cborDecode(ours, 10);
    expect(back.ok).toBe(true);
    expect(difference(toPlain(back.value), doc)).toBe("");
    expectAgree(cborxEncode(doc));
    // Keys in the order written, whatever the target's tables do.
    expect(hex(new CborWriter().map(2).text("z").int(1).text("a").int(2).done())).toBe("a2617a01616102");
    expect(cborDecode(unhex("84f4f5f6f7"), 1).value).toEqual([false, true, CBOR_NULL, CBOR_UNDEFINED]);
    expect(CBOR_NULL).toBeInstanceOf(CborSimple);
    expect(cborDecode(unhex("a2616101616102"), 1).value).toEqual({ a: 2 });
  });

  it("any value: ours to cbor-x, cbor-x to ours, ours to ours", () => {
    fc.assert(fc.property(plainValue, (v) => {
      const ours = oursEncode(v);
      expect(difference(cborxDecode(ours), v)).toBe("");
      const back = cborDecode(ours, 64);
      expect(back.ok).toBe(true);
      expect(difference(toPlain(back.value), v)).toBe("");
      expectAgree(cborxEncode(v));
    }), { numRuns: 3000 });
  });
});

describe("the codec", () => {
  it("is in the firmware dialect", async () => {
    const files = ["cbor-float", "cbor-reader", "cbor-value", "cbor-writer"].map((f) => resolve(`firmware/core/${f}.ts`));
    expect(await checkDialect(files, "firmware")).toEqual([]);
  });
});
