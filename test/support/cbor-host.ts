/*
 * The host's side of the CBOR tests: cbor-x set to plain values (objects for maps, byte strings
 * as Uint8Array, 64-bit integers as numbers), our codec driven from plain JS values, our decoded
 * values turned into plain ones, and an equality that tells -0 from 0 and NaN from nothing.
 */
import { Decoder, Encoder } from "cbor-x";
import fc from "fast-check";
import { CBOR_NULL, CBOR_UNDEFINED, CborBytes, type CborValue } from "../../firmware/core/cbor-value.ts";
import { CborWriter } from "../../firmware/core/cbor-writer.ts";

export type Plain = number | string | boolean | null | undefined | Uint8Array | Plain[] | { [key: string]: Plain };

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, pack: false } as ConstructorParameters<typeof Encoder>[0]);
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as ConstructorParameters<typeof Decoder>[0]);

/** cbor-x's encoding of v, as a byte string. */
export function cborxEncode(v: Plain): string {
  return Buffer.from(encoder.encode(v)).toString("latin1");
}

/** cbor-x's decoding of a byte string. */
export function cborxDecode(s: string): Plain {
  return decoder.decode(Buffer.from(s, "latin1")) as Plain;
}

export const hex = (s: string): string => Buffer.from(s, "latin1").toString("hex");
export const unhex = (h: string): string => Buffer.from(h, "hex").toString("latin1");
const utf8Bytes = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

/** v through our writer: text as its UTF-8 bytes, object keys in their own order. */
export function writePlain(w: CborWriter, v: Plain): CborWriter {
  if (typeof v === "number") return w.num(v);
  if (typeof v === "string") return w.text(utf8Bytes(v));
  if (typeof v === "boolean") return w.bool(v);
  if (v === null) return w.nul();
  if (v === undefined) throw new Error("our writer has no undefined");
  if (v instanceof Uint8Array) return w.bytes(Buffer.from(v).toString("latin1"));
  if (Array.isArray(v)) {
    w.array(v.length);
    for (const x of v) writePlain(w, x);
    return w;
  }
  const keys = Object.keys(v);
  w.map(keys.length);
  for (const k of keys) writePlain(w.text(utf8Bytes(k)), v[k]);
  return w;
}

export const oursEncode = (v: Plain): string => writePlain(new CborWriter(), v).done();

/** One of our decoded values as plain JS: text (bytes) read as UTF-8, sentinels as null and undefined. */
export function toPlain(v: CborValue): Plain {
  if (typeof v === "string") return Buffer.from(v, "latin1").toString("utf8");
  if (typeof v === "number" || typeof v === "boolean") return v;
  if (v === CBOR_NULL) return null;
  if (v === CBOR_UNDEFINED) return undefined;
  if (v instanceof CborBytes) return new Uint8Array(Buffer.from(v.data, "latin1"));
  if (Array.isArray(v)) return v.map(toPlain);
  if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`not a decoded value: ${String(v)}`);
  const out: { [key: string]: Plain } = {};
  for (const k of Object.keys(v)) out[Buffer.from(k, "latin1").toString("utf8")] = toPlain((v as { [key: string]: CborValue })[k]);
  return out;
}

/** Where a and b differ ("" when they do not): numbers by Object.is, bytes by value, maps by key set. */
export function difference(a: Plain, b: Plain, path = "$"): string {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) ? "" : `${path}: ${a} vs ${b}`;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b)) ? "" : `${path}: bytes differ`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return "";
  }
  const isMap = (x: Plain) => typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);
  if (isMap(a) && isMap(b)) {
    const ma = a as { [key: string]: Plain };
    const mb = b as { [key: string]: Plain };
    const ka = Object.keys(ma).sort();
    const kb = Object.keys(mb).sort();
    if (ka.join("\u0000") !== kb.join("\u0000")) return `${path}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    for (const k of ka) {
      const d = difference(ma[k], mb[k], `${path}.${k}`);
      if (d) return d;
    }
    return "";
  }
  return a === b ? "" : `${path}: ${String(a)} vs ${String(b)}`;
}

const key = fc.string({ maxLength: 6 }).filter((k) => k !== "__proto__");

/** Plain values our writer can write: any double, safe integers, text (any Unicode), bytes, arrays, maps. */
export const plainValue: fc.Arbitrary<Plain> = fc.letrec<{ v: Plain }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.integer({ min: -(2 ** 53), max: 2 ** 53 - 1 }),
      fc.integer({ min: -70000, max: 70000 }),
      fc.double(),
      fc.float().map((x) => x),
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.uint8Array({ maxLength: 12 }),
      fc.boolean(),
      fc.constant(null),
    ),
    fc.array(tie("v"), { maxLength: 5 }),
    fc.dictionary(key, tie("v"), { maxKeys: 5 }),
  ),
})).v;
