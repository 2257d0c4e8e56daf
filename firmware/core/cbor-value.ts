/*
 * What cborDecode returns. Text strings are plain (byte) strings, so byte strings come wrapped to
 * tell them apart; null and undefined are sentinel objects, never nil, which in Lua would punch
 * holes in arrays and drop map keys.
 */

export class CborBytes {
  constructor(public data: string) {}
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
