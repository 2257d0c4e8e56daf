/*
 * SHA-256 (FIPS 180-4) in plain JavaScript, for Espruino builds whose crypto module has no
 * SHA256: both official ESP8266 builds (the 4 MB one's crypto has SHA1 only; the 512 KB one has
 * no crypto at all). Written for Espruino's memory: the message is read where it lies (never
 * padded into a copy), the schedule is a rolling window of 16 words, and the constants are
 * computed at the first call and kept (72 words: about 25 JsVars on the ESP8266), since making
 * them takes as long as hashing two blocks.
 */

/* 2^32: the first 32 bits of a fraction, as a word. */
const WORD = 4294967296;

/*
 * The 64 round constants (§4.2.2) and the 8 initial hash words (§5.3.3): the first 32 bits of
 * the fractional parts of the cube and square roots of the first primes. Computed rather than
 * written out: 64 numbers in code would cost flash, and 128 JsVars while the array literal
 * exists. Espruino's Math.pow is exp(log(x) * y), good to ~1e-15; the nearest of these
 * fractions to a word boundary is 0.0055 of a unit away (checked for all 72), and
 * test/hmac.test.ts checks every output bit against node:crypto.
 */
let kept: Int32Array | undefined = undefined;

function tables(): Int32Array {
  if (kept !== undefined) {
    return kept;
  }
  const t = new Int32Array(72);
  let n = 0;
  for (let p = 2; n < 64; p++) {
    let d = 2;
    while (d * d <= p && Math.floor(p / d) * d !== p) {
      d++;
    }
    if (d * d > p) {
      const c = Math.pow(p, 1 / 3);
      t[n] = (c - Math.floor(c)) * WORD;
      if (n < 8) {
        const s = Math.pow(p, 0.5);
        t[64 + n] = (s - Math.floor(s)) * WORD;
      }
      n++;
    }
  }
  kept = t;
  return t;
}

/** The 32-byte SHA-256 digest of a byte string, as a byte string. */
export function sha256(data: string): string {
  const k = tables();
  const h = new Int32Array(8);
  for (let i = 0; i < 8; i++) {
    h[i] = k[64 + i];
  }
  const w = new Int32Array(16);
  const len = data.length;
  // The 0x80 byte, zeros, and the length in bits make whole 64-byte blocks (§5.1.1).
  const blocks = Math.floor((len + 8) / 64) + 1;
  for (let at = 0; at < blocks * 64; at += 64) {
    for (let i = 0; i < 16; i++) {
      let word = 0;
      for (let j = at + 4 * i; j < at + 4 * i + 4; j++) {
        word = (word << 8) | (j < len ? data.charCodeAt(j) : j === len ? 0x80 : 0);
      }
      w[i] = word;
    }
    if (at + 64 === blocks * 64) {
      // Messages here are far below 2^29 bytes, so the length's upper word stays 0.
      w[15] = len * 8;
    }
    let a = h[0];
    let b = h[1];
    let c = h[2];
    let d = h[3];
    let e = h[4];
    let f = h[5];
    let g = h[6];
    let hh = h[7];
    for (let t = 0; t < 64; t++) {
      if (t > 15) {
        const x = w[(t + 1) & 15];
        const y = w[(t + 14) & 15];
        w[t & 15] += w[(t + 9) & 15] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
          (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10));
      }
      const t1 = hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) + k[t] + w[t & 15];
      const t2 = (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    const v = h[i];
    out += String.fromCharCode((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  return out;
}
