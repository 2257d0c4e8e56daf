/* What aisle gen shelf and aisle gen gate share: checking their numbers, and writing the files. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../usage-error.ts";

/** A whole number option from min to max, or a usage error naming it. */
export function wholeOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return n;
}

/** Writes a file, or says which file could not be written and why, as a usage error: --out was wrong. */
export function writeOutput(file: string, text: string): void {
  try {
    mkdirSync(dirname(file) || ".", { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`--out: cannot write ${file} (${err.code ?? err.message})`);
  }
}
