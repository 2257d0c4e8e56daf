import { writeSync } from "node:fs";
import type { GateRow, RawShelfChunk } from "./raw-trace.ts";
import { NO_SAMPLE } from "./trace-stream.ts";

/**
 * A number as sim/gen/trace-writer.ts writes it (String), keeping the sign of −0. Grams past a
 * double's range ("1e400") read as ±Infinity; they are written back as a decimal that does too.
 */
export const numText = (v: number) => (Object.is(v, -0) ? "-0" : v === Infinity ? "1e999" : v === -Infinity ? "-1e999" : String(v));

/** A gate cell: quoted when the text holds a comma or a quote (csv-line.ts reads it back). */
const cellText = (cell: string) => (cell.includes(",") || cell.includes('"') ? `"${cell.replaceAll('"', '""')}"` : cell);

/** Writes trace format 1 as CSV to an open file, a chunk of rows at a time. */
export class CsvTraceWriter {
  constructor(private readonly fd: number, preamble: string[]) {
    this.write(["# aisle-trace 1", ...preamble].join("\n") + "\n");
  }

  shelf(chunk: RawShelfChunk): void {
    const { tMs, counts, grams } = chunk;
    let out = "";
    for (let r = 0; r < chunk.rows; r++) {
      let line = numText(tMs[r]);
      if (grams) {
        for (let c = 0; c < grams.length; c++) {
          const g = grams[c][r];
          line += g === g ? "," + numText(g) : ",";
        }
      } else {
        for (let c = 0; c < counts.length; c++) {
          const v = counts[c][r];
          line += v === NO_SAMPLE ? "," : "," + v;
        }
      }
      out += line + "\n";
    }
    this.write(out);
  }

  gate(rows: GateRow[]): void {
    const step = 4096;
    for (let a = 0; a < rows.length; a += step) {
      let out = "";
      for (const row of rows.slice(a, a + step)) out += [numText(row.tMs), ...row.cells.map(cellText)].join(",") + "\n";
      this.write(out);
    }
  }

  end(): void {}

  private write(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }
}
