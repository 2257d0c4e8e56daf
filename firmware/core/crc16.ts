/*
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR) over a
 * string's character codes, in arithmetic only: Lua 5.1 has no bitwise operators. XOR with the
 * polynomial flips just bits 12, 5 and 0, so each step costs a few divisions, not a 16-bit loop.
 */

function bit(x: number, k: number): number {
  return Math.floor(x / Math.pow(2, k)) - 2 * Math.floor(x / Math.pow(2, k + 1));
}

function flip(x: number, k: number): number {
  const p = Math.pow(2, k);
  return bit(x, k) === 1 ? x - p : x + p;
}

export function crc16(s: string): number {
  let crc = 0xffff;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // crc ^= byte << 8, one bit of the byte at a time.
    for (let k = 0; k < 8; k++) {
      if (bit(c, k) === 1) {
        crc = flip(crc, k + 8);
      }
    }
    for (let b = 0; b < 8; b++) {
      const top = crc >= 0x8000;
      crc = top ? (crc - 0x8000) * 2 : crc * 2;
      if (top) {
        crc = flip(flip(flip(crc, 12), 5), 0);
      }
    }
  }
  return crc;
}

const HEX = "0123456789abcdef";

export function crc16Hex(s: string): string {
  let v = crc16(s);
  let out = "";
  for (let k = 0; k < 4; k++) {
    const low = v - 16 * Math.floor(v / 16);
    out = HEX[low] + out;
    v = (v - low) / 16;
  }
  return out;
}
