/*
 * What cborDecode returns. Text strings are plain (byte) strings, so byte strings come wrapped to
 * tell them apart; null and undefined are sentinel objects, never nil, which in Lua would punch
 * holes in arrays and drop map keys.
 */

export class CborBytes {
  constructor(public data: string) {}
}

/**
 * Whether v is a byte string. Not instanceof, which brings typescript-to-lua's instanceof and
 * Symbol shims into every Lua bundle (about 700 bytes); a decoded map cannot have the class as its
 * constructor, whatever its keys.
 */
export function isBytes(v: CborValue): v is CborBytes {
  return typeof v === "object" && (v as unknown as { constructor: unknown }).constructor === CborBytes;
}

/** A CBOR simple value: only null (22) and undefined (23) are decoded as these. */
export class CborSimple {
  constructor(public value: number) {}
}

export const CBOR_NULL = new CborSimple(22);
export const CBOR_UNDEFINED = new CborSimple(23);

export interface CborMap {
  [key: string]: CborValue;
}

export type CborValue = number | string | boolean | CborBytes | CborSimple | CborValue[] | CborMap;
