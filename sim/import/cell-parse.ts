/* Reading the cells of recordings: times to whole µs without losing digits, and values. */

export type TimeUnit = "s" | "ms" | "us";

const DIGITS_BELOW: Record<TimeUnit, number> = { s: 6, ms: 3, us: 0 };
const PLAIN = /^([+-]?)(\d+)(?:\.(\d*))?$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A time cell in `unit` as whole µs, or undefined when it is not a number. Plain decimals are
 * read digit by digit: 1573094128.123456 s as a double times 10^6 could land a µs off, and a row
 * a µs early would be out of order.
 */
export function parseTimeUs(text: string, unit: TimeUnit): number | undefined {
  const s = text.trim();
  const m = PLAIN.exec(s);
  if (m) {
    const d = DIGITS_BELOW[unit];
    const frac = (m[3] ?? "").padEnd(d + 1, "0");
    let us = Number(m[2]) * 10 ** d + (d > 0 ? Number(frac.slice(0, d)) : 0);
    if (frac.charCodeAt(d) >= 53) us += 1;
    const v = m[1] === "-" ? -us : us;
    return Number.isSafeInteger(v) ? v : undefined;
  }
  if (!DECIMAL.test(s)) return undefined;
  const v = Math.round(Number(s) * 10 ** DIGITS_BELOW[unit]);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Cells that recordings and pandas exports use for "no sample". */
const MISSING = new Set(["", "nan", "na", "n/a", "null", "none"]);

/** A value cell: a finite number, NaN for a missing-sample marker, undefined for anything else. */
export function parseValue(text: string): number | undefined {
  const s = text.trim();
  if (MISSING.has(s.toLowerCase())) return NaN;
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** A cell for an error message: quoted, and cut short. */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text);
}

/** Unix time in µs for anything after 1973 (10^8 s): earlier values are times since the recording began. */
export const UNIX_FROM_US = 1e14;
