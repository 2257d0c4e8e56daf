/*
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR) over a
 * string's character codes (bytes, 0-255), in arithmetic only: Lua 5.1 has no bitwise operators.
 * Bit-serial, most significant bit first: each data bit meets the register's top bit as it
 * leaves, and where they differ the shifted register is XORed with the polynomial, which after
 * a doubling flips just bits 12, 5 and 0 (bit 0 is then 0: adding 1 flips it).
 */
import { mod } from "./math";

/** x with bit p (a power of two) flipped. */
function flip(x: number, p: number): number {
  return mod(Math.floor(x / p), 2) === 1 ? x - p : x + p;
}

export function crc16(s: string): number {
  let crc = 0xffff;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    for (let b = 0; b < 8; b++) {
      const top = crc >= 0x8000;
      crc = (top ? crc - 0x8000 : crc) * 2;
      if (top !== (c >= 0x80)) {
        crc = flip(flip(crc + 1, 0x20), 0x1000);
      }
      c = (c >= 0x80 ? c - 0x80 : c) * 2;
    }
  }
  return crc;
}

const HEX = "0123456789abcdef";

/** crc16(s) in four lowercase hex digits, from a digit table (toString(16) differs in Lua). */
export function crc16Hex(s: string): string {
  let v = crc16(s);
  let out = "";
  for (let k = 0; k < 4; k++) {
    const low = mod(v, 16);
    out = HEX[low] + out;
    v = (v - low) / 16;
  }
  return out;
}
