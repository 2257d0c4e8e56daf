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

/**
 * The layout of a 32-bit build with this many variables (jsutils.h: the reference width and
 * count bits, then 4 bytes of data and 2 of flags). The ESP8266's 1,700 (12 bytes, 8 characters
 * a block, integers of 11 bits) is calibrated on a real interpreter built the same way; the others follow the same rules (ESP32's 16,383: 14 bytes, 9 and 10
 * characters a block).
 */
export function layoutFor(totalVars: number): JsVarLayout {
  const [refBits, packBits, countBits] = totalVars <= 1023 ? [10, 2, 6] : totalVars <= 2047 ? [11, 0, 4] : totalVars <= 4095 ? [12, 0, 8] : totalVars <= 8191 ? [13, 0, 4] : totalVars <= 16383 ? [14, 0, 8] : [16, 0, 8];
  const stringChars = 4 + ((refBits * 3 + packBits) >> 3);
  const extChars = 4 + ((refBits * 3 + packBits + countBits) >> 3);
  const blockBytes = 4 + Math.ceil((refBits * 4 + packBits + countBits) / 8) + 2;
  return { blockBytes, nameChars: 4, stringChars, extChars, refBits };
}

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
