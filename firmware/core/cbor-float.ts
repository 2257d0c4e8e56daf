/*
 * IEEE 754 binary16/32/64 in arithmetic only: no DataView on Espruino's budget, no bitwise
 * operators in Lua 5.1. Format k (0 half, 1 single, 2 double) has 2^(k+4) bits: a sign, E = 3k+5
 * exponent bits (5, 8, 11), and M mantissa bits (10, 23, 52). A single's and a double's last 16
 * bits travel apart ("low"), the rest in "top": no number here needs more than 24 bits to be
 * exact for a single, so NodeMCU-ESP32's default float32 build writes and reads singles right
 * (a double's 48-bit top is exact wherever doubles are). Nothing multiplies two integers into
 * the billions either: Lua 5.3 with 32-bit integers would wrap them.
 */

const P2 = function (n: number): number {
  return Math.pow(2, n);
};

/**
 * v's n lowest bytes, big-endian: exact for whole v below 2^53 (a division gives a float, which
 * does not wrap). Exported at the end, not here: floatItem calls it, and an exported function is
 * reached through the module's export table, which its callers would keep in NodeMCU's heap.
 */
function bigEndian(v: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const q = Math.floor(v / 256);
    s = String.fromCharCode((v / 256 - q) * 256) + s;
    v = q;
  }
  return s;
}

/** The number format k's bits hold: top is its first bytes, but a single's or a double's last two, which are low. */
export function floatFromBits(k: number, top: number, low: number): number {
  const E = 3 * k + 5;
  const M = P2(k + 4) - 1 - E;
  const L = k > 0 ? 16 : 0;
  const sign = P2(E + M - L);
  const neg = top >= sign;
  const t = neg ? top - sign : top;
  const unit = P2(M - L);
  const be = Math.floor(t / unit);
  const m = (t - be * unit) * P2(L) + low;
  const bias = P2(E - 1) - 1;
  // Multiplying by a power of two is exact whenever the result is representable, as these are.
  const x = be > 2 * bias ? (m === 0 ? Infinity : NaN) : be === 0 ? m * P2(1 - bias - M) : (m + P2(M)) * P2(be - bias - M);
  return neg ? -x : x;
}

/*
 * A float item (head byte and bits) in the shortest of half, single and double that holds x
 * exactly: RFC 8949's preferred serialization. Non-finite values are halves; NaN is the quiet
 * 0x7e00 whatever its sign or payload. -0 keeps its sign. Subnormals are exact.
 */
export function floatItem(x: number): string {
  if (x !== x) {
    return String.fromCharCode(0xf9, 0x7e, 0);
  }
  const neg = x < 0 || 1 / x < 0;
  const a = neg ? -x : x;
  if (a === Infinity) {
    return String.fromCharCode(0xf9, neg ? 0xfc : 0x7c, 0);
  }
  // e: the binary exponent, 2^e <= a < 2^(e+1); the logarithm guesses, powers of two settle it.
  let e = -2000;
  if (a > 0) {
    e = Math.floor(Math.log(a) / Math.log(2));
    while (P2(e) > a) {
      e--;
    }
    while (P2(e + 1) <= a) {
      e++;
    }
  }
  for (let k = 0; k < 3; k++) {
    const E = 3 * k + 5;
    const M = P2(k + 4) - 1 - E;
    const bias = P2(E - 1) - 1;
    let be = e + bias;
    let m: number;
    if (be < 1) {
      be = 0;
      m = a / P2(1 - bias - M);
    } else {
      m = a / P2(e - M) - P2(M);
    }
    if (be <= 2 * bias && m === Math.floor(m)) {
      const L = k > 0 ? 16 : 0;
      const high = Math.floor(m / P2(L));
      const top = ((neg ? P2(E) : 0) + be) * P2(M - L) + high;
      return String.fromCharCode(0xf9 + k) + bigEndian(top, P2(k + 1) - L / 8) + bigEndian(m - high * P2(L), L / 8);
    }
  }
  return "";
}

export { bigEndian };
