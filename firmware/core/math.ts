/** a mod b with the sign of b, as Lua's % does and JS's does not: one meaning on every target. */
export function mod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}
