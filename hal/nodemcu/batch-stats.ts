/*
 * A batch's mean, variance and sum of squared steps (hal/load-cell.ts), for both NodeMCU ports.
 * NodeMCU has no native batch maths: a Lua loop, once a batch, is the cheapest there is. One
 * copy, so that the ESP8266 and ESP32 ports hand the firmware bit-for-bit the same numbers.
 */

export function meanOf(a: number[], n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s = s + a[i];
  }
  return s / n;
}

export function varianceOf(a: number[], n: number, mean: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    s = s + d * d;
  }
  return s / n;
}

export function diffSqOf(a: number[], n: number): number {
  let s = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = a[i + 1] - a[i];
    s = s + d * d;
  }
  return s;
}
