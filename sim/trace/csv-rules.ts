import { splitCsvLine } from "./csv-line.ts";
import type { TraceChannel } from "./trace-types.ts";

/*
 * The rules of trace format 1 for one line, on strings: the exact checks and error texts every
 * reader gives. The fast CSV path only takes lines these rules accept with the same values; any
 * other line comes here.
 */

export const MIN_COUNT = -8388608;
export const MAX_COUNT = 8388607;
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type Fail = (problem: string) => never;

/** The first line: `# aisle-trace 1`, after a byte-order mark if any. */
export function checkFirstLine(line: string, fail: Fail): void {
  const first = line.replace(/^\uFEFF/, "");
  if (!/^# aisle-trace \S+$/.test(first)) fail(`the first line must be "# aisle-trace 1", found ${JSON.stringify(first.slice(0, 40))}`);
  if (first !== "# aisle-trace 1") fail(`unsupported trace version ${JSON.stringify(first.slice(14))}: this reader knows version 1`);
}

/** A data row's cells, each trimmed, checked against the header's column count. */
export function rowCells(line: string, columns: number, fail: Fail): string[] {
  const cells = splitCsvLine(line);
  if (cells === undefined) fail("a quoted cell is not closed");
  if (cells.length !== columns) fail(`the row has ${cells.length} cells but the header has ${columns} columns`);
  for (let i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
  return cells;
}

/** The row's t_ms, checked: a decimal, finite, ≥ 0, and not before the previous row's. */
export function rowTMs(tText: string, lastTMs: number, fail: Fail): number {
  if (!DECIMAL.test(tText)) fail(`t_ms ${JSON.stringify(tText)} is not a decimal number`);
  const tMs = Number(tText);
  if (!Number.isFinite(tMs) || tMs < 0) fail(`t_ms ${tText} must be a finite number ≥ 0`);
  if (tMs < lastTMs) fail(`t_ms ${tText} goes back in time (the previous row had ${lastTMs})`);
  return tMs;
}

/** A shelf cell's value as written (counts or grams), or undefined for an empty cell. */
export function shelfCellValue(text: string, unit: "counts" | "grams", ch: TraceChannel, fail: Fail): number | undefined {
  if (text === "") return undefined;
  if (!DECIMAL.test(text)) fail(`column ${ch.id}: ${JSON.stringify(text)} is not a number`);
  const value = Number(text);
  if (unit === "counts") {
    if (!Number.isInteger(value)) fail(`column ${ch.id}: ${text} is not a whole number of counts`);
    if (value < MIN_COUNT || value > MAX_COUNT) fail(`column ${ch.id}: ${text} is outside the HX711's signed 24-bit range`);
  }
  return value;
}

/** Grams to counts with the channel's calibration. Past the converter's range a real HX711 saturates, and so does the virtual one. */
export function gramsToCounts(grams: number, offset: number, gramsPerCount: number): number {
  return Math.min(MAX_COUNT, Math.max(MIN_COUNT, Math.round(offset + grams / gramsPerCount)));
}

/** A gate cell, already trimmed: held signals take 0 or 1; admit takes any token. */
export function checkGateCell(text: string, name: string, admit: boolean, fail: Fail): void {
  if (admit || text === "") return;
  if (text !== "0" && text !== "1") fail(`column ${name}: ${JSON.stringify(text)} must be 0 or 1`);
}
