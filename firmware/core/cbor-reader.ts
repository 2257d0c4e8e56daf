/*
 * A CBOR (RFC 8949) decoder for untrusted payloads: it returns an error, never throws, and every
 * loop is bounded by the input left (a declared length is checked against it before anything
 * is read or built). Recursion is bounded by maxDepth.
 *
 * Decoded: integers of every head width from -2^53 to 2^53 - 1 (beyond: "integer too large");
 * half, single and double floats; text strings as their bytes, UTF-8 unchecked; byte strings as
 * CborBytes; true, false, CBOR_NULL, CBOR_UNDEFINED; definite arrays; definite maps with text
 * keys, as plain objects (a repeated key: the last wins). Refused: tags, indefinite lengths,
 * other simple values, non-text keys, the key "__proto__" (it would set a JS object's prototype),
 * and bytes after the top item.
 */
import { CBOR_NULL, CBOR_UNDEFINED, CborBytes, type CborMap, type CborValue } from "./cbor-value";
import { floatFromBits } from "./cbor-float";

export interface CborResult {
  ok: boolean;
  /** CBOR_UNDEFINED when not ok. */
  value: CborValue;
  /** "" when ok. */
  error: string;
  /** The byte offset of the item at fault (or of the first byte too many); when ok, the length. */
  at: number;
}

// The decode in progress: one at a time, and nothing runs during one.
let D = "";
let P = 0;
let E = "";
let A = 0;
let MAX = 0;

function fail(what: string, at: number): false {
  E = what;
  A = at;
  return false;
}

/** 256 as a float in Lua 5.3 too: a product of integers would wrap where integers have 32 bits. */
const BYTE = Math.pow(2, 8);

/** n bytes at P, big-endian (n <= 6, all there); P moves past them. */
function uint(n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    v = v * BYTE + D.charCodeAt(P);
    P++;
  }
  return v;
}

/** The item at P, at nesting depth d; after an error (E set) the value means nothing. */
function item(d: number): CborValue {
  const at = P;
  if (P >= D.length) {
    return fail("truncated", at);
  }
  const ib = uint(1);
  const major = Math.floor(ib / 32);
  const ai = ib - major * 32;
  let v = ai;
  if (ai > 27) {
    return fail(ai > 30 && major === 7 ? "unexpected break" : ai > 30 && major > 1 && major < 6 ? "indefinite length unsupported" : "reserved additional info", at);
  }
  if (ai > 23) {
    const n = Math.pow(2, ai - 24);
    if (P + n > D.length) {
      return fail("truncated", at);
    }
    if (major === 7) {
      if (ai === 24) {
        return fail("unsupported simple value", at);
      }
      // Half, single or double: a single's or a double's last two bytes apart.
      const top = uint(ai > 25 ? n - 2 : 2);
      return floatFromBits(ai - 25, top, ai > 25 ? uint(2) : 0);
    }
    if (n > 4) {
      const hi = uint(4);
      v = uint(4);
      // At or beyond 2^53: a length that long is beyond any input too. (No product to wrap Lua 5.3's integers.)
      v = hi >= 2097152 ? Infinity : hi * 4294967296 + v;
    } else {
      v = uint(n);
    }
  }
  if (major < 2) {
    return v === Infinity ? fail("integer too large", at) : major === 0 ? v : -1 - v;
  }
  const left = D.length - P;
  if (major < 4) {
    if (v > left) {
      return fail("length beyond input", at);
    }
    const s = D.slice(P, P + v);
    P = P + v;
    return major === 2 ? new CborBytes(s) : s;
  }
  if (major < 6) {
    // Every item takes a byte at least, so the count is bounded before anything is built.
    if ((major === 4 ? v : 2 * v) > left) {
      return fail("length beyond input", at);
    }
    if (d >= MAX) {
      return fail("nesting too deep", at);
    }
    if (major === 4) {
      const arr: CborValue[] = [];
      for (let i = 0; i < v && E === ""; i++) {
        arr.push(item(d + 1));
      }
      return arr;
    }
    const obj: CborMap = {};
    for (let i = 0; i < v && E === ""; i++) {
      const kat = P;
      const k = item(d + 1);
      if (E !== "") {
        return false;
      }
      if (typeof k !== "string") {
        return fail("map key not text", kat);
      }
      if (k === "__proto__") {
        return fail("map key __proto__", kat);
      }
      obj[k] = item(d + 1);
    }
    return obj;
  }
  if (major === 6) {
    return fail("tags unsupported", at);
  }
  return ai === 20 ? false : ai === 21 ? true : ai === 22 ? CBOR_NULL : ai === 23 ? CBOR_UNDEFINED : fail("unsupported simple value", at);
}

/** The one CBOR item that data (a byte string) holds, arrays and maps nested at most maxDepth deep. */
export function cborDecode(data: string, maxDepth: number): CborResult {
  D = data;
  P = 0;
  E = "";
  MAX = maxDepth;
  const value = item(0);
  if (E === "" && P < D.length) {
    fail("trailing bytes", P);
  }
  D = "";
  return E === "" ? { ok: true, value: value, error: "", at: P } : { ok: false, value: CBOR_UNDEFINED, error: E, at: A };
}
