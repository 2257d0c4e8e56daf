/*
 * E.CRC32(data) as Espruino 2v29 computes it (jswrap_espruino.c, jswrap_espruino_CRC32): the
 * standard CRC-32 (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF), over
 * each element of anything iterable taken as an integer and cut to its low byte: a string's
 * characters, an ArrayBuffer's or typed array's bytes, an array's or object's values (a value that
 * is not a number counts as its integer value, 0 when it has none). Anything else, undefined
 * included, is not iterable and gives undefined. The result is unsigned.
 */

function integerValue(v: unknown): number {
  const n = typeof v === "string" && v.trim() === "" ? 0 : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) | 0 : 0;
}

function bytesOf(data: unknown): Iterable<number> | undefined {
  if (typeof data === "string") return Array.from(data, (c) => c.charCodeAt(0));
  if (typeof data !== "object" || data === null) return typeof data === "function" ? [] : undefined;
  if (ArrayBuffer.isView(data)) return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]") return new Uint8Array(data as ArrayBuffer);
  if (Array.isArray(data)) return Array.from({ length: data.length }, (_, i) => integerValue(data[i]));
  return Object.values(data).map(integerValue);
}

export function espruinoCrc32(data: unknown): number | undefined {
  const bytes = bytesOf(data);
  if (bytes === undefined) return undefined;
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b & 0xff;
    for (let t = 0; t < 8; t++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
