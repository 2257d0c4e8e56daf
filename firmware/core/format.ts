/*
 * Number and string formatting with one meaning on every target. JS prints 0.1+0.2 as
 * 0.30000000000000004 and Lua as 0.3; Lua 5.3 prints a float 3 as "3.0" and Lua 5.1 prints -0
 * as "-0". Payloads go through these so that every runner publishes the same bytes.
 */
import { round } from "./math";


export function formatInt(n: number): string {
  const whole = Math.floor(n);
  if (whole === 0) {
    return "0";
  }
  return "" + whole;
}

export function formatFixed(x: number, decimals: number): string {
  const scale = Math.pow(10, decimals);
  const negative = x < 0;
  const scaled = round((negative ? -x : x) * scale);
  if (scaled === 0) {
    return "0";
  }
  const whole = Math.floor(scaled / scale);
  let frac = formatInt(scaled - whole * scale);
  while (frac.length < decimals) {
    frac = "0" + frac;
  }
  const sign = negative ? "-" : "";
  return decimals > 0 ? sign + formatInt(whole) + "." + frac : sign + formatInt(whole);
}

export function jsonString(s: string): string {
  return "\"" + s.split("\\").join("\\\\").split("\"").join("\\\"") + "\"";
}
