/** a mod b with the sign of b, as Lua's % does and JS's does not: one meaning on every target. */
export function mod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

/**
 * x rounded to the nearest whole number, halves up. Espruino's Math.round rounds halves away from
 * zero (Math.round(-2.5) is -3 there, -2 in JS and in typescript-to-lua's Lua).
 */
export function round(x: number): number {
  return Math.floor(x + 0.5);
}
