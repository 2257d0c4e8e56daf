/**
 * How many characters fit in one Espruino JsVar, which sets how many variables a string or a
 * name takes. Espruino 2v29 src/jsutils.h derives them from the pointer size and the reference
 * width: a build with at most 2,047 variables (the ESP8266's 1,700) packs four 11-bit references
 * and a 4-bit reference count into 6 bytes, so on a 32-bit CPU a JsVar is 4 bytes of data + 6 +
 * 2 bytes of flags = 12 bytes (process.memory().blocksize).
 */
export interface JsVarLayout {
  /** sizeof(JsVar): flat strings (typed-array storage, long code) take one per this many bytes. */
  blockBytes: number;
  /** JSVAR_DATA_STRING_NAME_LEN: characters of a name (object key, variable) in its first block. */
  nameChars: number;
  /** JSVAR_DATA_STRING_LEN: characters of a string value in its first block. */
  stringChars: number;
  /** JSVAR_DATA_STRING_MAX_LEN: characters in each further block (a STRING_EXT). */
  extChars: number;
  /** Integers in [-2^(bits-1), 2^(bits-1)) are stored inside the name that holds them (JSVARREF_BITS). */
  refBits: number;
}

/** ESP8266 (32-bit, 1,700 variables), and the Linux build made with -m32 and VARIABLES=1700. */
export const ESP8266_LAYOUT: JsVarLayout = { blockBytes: 12, nameChars: 4, stringChars: 8, extChars: 8, refBits: 11 };

/** The 64-bit Linux build with VARIABLES=1700: 16-byte blocks, 8-byte name data. */
export const LINUX64_1700_LAYOUT: JsVarLayout = { blockBytes: 16, nameChars: 8, stringChars: 12, extChars: 12, refBits: 11 };

/** Above this many bytes Espruino allocates a flat string (JSV_FLAT_STRING_BREAK_EVEN). */
export function flatBreakEven(l: JsVarLayout): number {
  return l.stringChars + l.extChars;
}

/** A string value built in RAM character by character (literals, concatenations): full blocks chained. */
export function stringVars(l: JsVarLayout, chars: number): number {
  return chars <= l.stringChars ? 1 : 1 + Math.ceil((chars - l.stringChars) / l.extChars);
}

/** A flat string: one header block, then the bytes laid out in whole blocks. */
export function flatStringVars(l: JsVarLayout, bytes: number): number {
  return 1 + Math.ceil(bytes / l.blockBytes);
}

/** Storage made with jsvNewStringOfLength (code copied from RAM, ArrayBuffer data): flat when long. */
export function sizedStringVars(l: JsVarLayout, bytes: number): number {
  return bytes > flatBreakEven(l) ? flatStringVars(l, bytes) : stringVars(l, bytes);
}

/** A NAME (an object key, array index or variable): a short first block, then full extension blocks. */
export function nameVars(l: JsVarLayout, chars: number): number {
  return chars <= l.nameChars ? 1 : 1 + Math.ceil((chars - l.nameChars) / l.extChars);
}

/** Whether a number is an integer small enough to live inside the name that refers to it. */
export function packsIntoName(l: JsVarLayout, n: number): boolean {
  const half = 2 ** (l.refBits - 1);
  return Number.isInteger(n) && n >= -half && n < half && !Object.is(n, -0);
}
