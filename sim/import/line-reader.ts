import { closeSync, openSync, readSync } from "node:fs";
import { splitDelimited as splitCells } from "../trace/csv-line.ts";
import { TraceError } from "../trace/trace-types.ts";

const CHUNK_BYTES = 1 << 20;

/**
 * Calls `onLine` for every line of a text file, with its 1-based number, reading a megabyte at a
 * time: recordings of hours hold hundreds of MB. `\r\n` and a leading BOM are taken off. When
 * `onLine` returns false, reading stops there.
 */
export function readLines(file: string, onLine: (line: string, lineNo: number) => void | false): number {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    throw new TraceError(file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const buf = Buffer.alloc(CHUNK_BYTES);
  let carry = "";
  let lineNo = 0;
  let stopped = false;
  const emit = (raw: string) => {
    lineNo++;
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    stopped = onLine(line, lineNo) === false;
  };
  try {
    // A UTF-8 character may straddle two chunks: keep the incomplete tail for the next read.
    const decoder = new TextDecoder("utf-8");
    while (!stopped) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = carry + decoder.decode(buf.subarray(0, n), { stream: true });
      const parts = text.split("\n");
      carry = parts.pop()!;
      for (const p of parts) {
        emit(p);
        if (stopped) return lineNo;
      }
    }
    carry += decoder.decode();
    if (carry !== "" && !stopped) emit(carry);
  } finally {
    closeSync(fd);
  }
  return lineNo;
}

/** Recordings' lines: as a trace's, but spaces may stand before a cell's opening quote. */
export function splitDelimited(line: string, delimiter: string): string[] | undefined {
  return splitCells(line, delimiter, true);
}
