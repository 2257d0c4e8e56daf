import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cborDecode } from "../firmware/core/cbor-reader.ts";
import { CBOR_UNDEFINED, CborBytes, CborSimple, type CborValue } from "../firmware/core/cbor-value.ts";
import { cborxDecode, cborxEncode, difference, hex, oursEncode, plainValue, toPlain, unhex, type Plain } from "./support/cbor-host.ts";

/*
 * Untrusted payloads: cborDecode must answer every input with a result (never a throw, a hang
 * or an allocation the input does not pay for), naming what is wrong and where.
 */
const utf8 = new TextDecoder("utf-8", { fatal: true });

function allTextUtf8(v: CborValue): boolean {
  const valid = (t: string) => {
    try {
      utf8.decode(Buffer.from(t, "latin1"));
      return true;
    } catch {
      return false;
    }
  };
  if (typeof v === "string") return valid(v);
  if (Array.isArray(v)) return v.every(allTextUtf8);
  if (typeof v !== "object" || v instanceof CborBytes || v instanceof CborSimple) return true;
  return Object.keys(v).every((k) => valid(k) && allTextUtf8(v[k]));
}

describe("hostile input", () => {
  const refuse = (h: string, error: string, at: number, maxDepth = 16) =>
    expect(cborDecode(unhex(h), maxDepth), h).toEqual({ ok: false, value: CBOR_UNDEFINED, error, at });

  it("declared lengths beyond the input are refused before anything is built", () => {
    for (const h of ["5bffffffffffffffff", "5b00000000ffffffff00", "7bffffffffffffffff", "9affffffff", "9bffffffffffffffff", "baffffffff", "bbffffffffffffffff00", "7a7fffffff41", "9b0000000100000000", "81", "a161", "4201", "630102"]) {
      refuse(h, "length beyond input", 0);
    }
    // A map of n pairs needs 2n bytes at least.
    refuse("a36161006162", "length beyond input", 0);
    refuse("820182" + "9affffffff", "length beyond input", 3);
  });

  it("nesting beyond maxDepth is refused at the item that goes too deep", () => {
    const deep = "\x81".repeat(10000) + "\x00";
    expect(cborDecode(deep, 16)).toEqual({ ok: false, value: CBOR_UNDEFINED, error: "nesting too deep", at: 16 });
    expect(cborDecode("\xa1\x61k".repeat(5000) + "\x00", 8)).toEqual({ ok: false, value: CBOR_UNDEFINED, error: "nesting too deep", at: 24 });
    expect(cborDecode("\x81".repeat(3) + "\x00", 3).ok).toBe(true);
    refuse("81818100", "nesting too deep", 2, 2);
    refuse("8100", "nesting too deep", 0, 0);
    expect(cborDecode("\x00", 0).ok).toBe(true);
  });

  it("what is not well-formed, or not supported, is refused with what and where", () => {
    const cases: [string, string, number][] = [
      ["1c", "reserved additional info", 0], ["3d", "reserved additional info", 0], ["5e", "reserved additional info", 0],
      ["fc", "reserved additional info", 0], ["1f", "reserved additional info", 0], ["df", "reserved additional info", 0],
      ["ff", "unexpected break", 0], ["8201ff", "unexpected break", 2], ["a161610fff", "trailing bytes", 4],
      ["9f01ff", "indefinite length unsupported", 0], ["5f4101ff", "indefinite length unsupported", 0], ["bfff", "indefinite length unsupported", 0],
      ["7f6161ff", "indefinite length unsupported", 0], ["c100", "tags unsupported", 0], ["d8206161", "tags unsupported", 0],
      ["f800", "unsupported simple value", 0], ["f820", "unsupported simple value", 0], ["f0", "unsupported simple value", 0], ["f3", "unsupported simple value", 0],
      ["a10102", "map key not text", 1], ["a1816100", "map key not text", 1], ["a14161f6", "map key not text", 1],
      ["a1695f5f70726f746f5f5f00", "map key __proto__", 1], ["0000", "trailing bytes", 1], ["f6f6", "trailing bytes", 1],
      ["", "truncated", 0], ["18", "truncated", 0], ["fa7fc0", "truncated", 0], ["fb7ff00000000000", "truncated", 0], ["8118", "truncated", 1],
    ];
    for (const [h, error, at] of cases) refuse(h, error, at);
  });

  it("every proper prefix of a valid encoding is refused as truncated or too long for what is left", () => {
    const docs: Plain[] = [
      { v: 1, dev: "gate-7", t_ms: 2 ** 40, grams: [1.5, -0.1, 1e300, 2 ** -149], raw: Uint8Array.of(9, 8, 7), ok: null, f: false },
      [[], {}, "", "x".repeat(300), 65536, -(2 ** 53), [[[[0]]]]],
      "a".repeat(70000),
    ];
    let prefixes = 0;
    for (const doc of docs) {
      for (const full of [oursEncode(doc), cborxEncode(doc)]) {
        expect(cborDecode(full, 8).ok).toBe(true);
        for (let n = 0; n < full.length; n += full.length > 1000 ? 97 : 1) {
          const r = cborDecode(full.slice(0, n), 8);
          expect(r.ok, `${n} of ${full.length}`).toBe(false);
          expect(["truncated", "length beyond input"]).toContain(r.error);
          expect(r.at).toBeLessThanOrEqual(n);
          prefixes++;
        }
      }
    }
    expect(prefixes).toBeGreaterThan(300);
  });

  it("random bytes, and valid encodings with bytes changed, give a result, never a throw; what is accepted, cbor-x reads alike", () => {
    const seen = { ok: 0, error: 0 };
    const check = (s: string) => {
      let r: ReturnType<typeof cborDecode>;
      try {
        r = cborDecode(s, 8);
      } catch (e) {
        throw new Error(`threw on ${hex(s)}: ${e}`);
      }
      expect(typeof r.ok).toBe("boolean");
      expect(r.ok ? r.error : r.value).toBe(r.ok ? "" : CBOR_UNDEFINED);
      expect(r.at).toBeGreaterThanOrEqual(0);
      expect(r.at).toBeLessThanOrEqual(s.length);
      if (!r.ok) {
        expect(r.error).not.toBe("");
        seen.error++;
        return;
      }
      seen.ok++;
      // cbor-x reads invalid UTF-8 as replacement characters: compare where text is valid.
      if (allTextUtf8(r.value)) expect(difference(toPlain(r.value), cborxDecode(s)), hex(s)).toBe("");
    };
    const smallBytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 7 }).chain((m) => fc.integer({ min: 0, max: 27 }).map((ai) => m * 32 + ai))), { maxLength: 40 });
    fc.assert(fc.property(smallBytes, (bytes) => check(String.fromCharCode(...bytes))), { numRuns: 20000 });
    fc.assert(fc.property(plainValue, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (v, edits) => {
      const b = Buffer.from(oursEncode(v), "latin1");
      for (const [at, byte] of edits) b[at % b.length] = byte;
      check(b.toString("latin1"));
    }), { numRuns: 5000 });
    expect(seen.ok).toBeGreaterThan(1000);
    expect(seen.error).toBeGreaterThan(1000);
  });
});

