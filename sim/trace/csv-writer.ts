import { CsvBytes, numberText } from "./csv-bytes.ts";
import type { GateRow, RawShelfChunk } from "./raw-trace.ts";
import { NO_SAMPLE } from "./trace-stream.ts";

/** A gate cell: quoted when the text holds a comma or a quote (csv-line.ts reads it back). */
const cellText = (cell: string) => (cell.includes(",") || cell.includes('"') ? `"${cell.replaceAll('"', '""')}"` : cell);

/** Writes trace format 1 as CSV to an open file, a chunk of rows at a time, numbers as sim/gen/trace-writer.ts prints them. */
export class CsvTraceWriter {
  private readonly out: CsvBytes;

  constructor(fd: number, preamble: string[]) {
    this.out = new CsvBytes(fd);
    this.out.text(["# aisle-trace 1", ...preamble].join("\n") + "\n");
  }

  shelf(chunk: RawShelfChunk): void {
    const { tMs, tUs, counts, grams } = chunk;
    const out = this.out;
    for (let r = 0; r < chunk.rows; r++) {
      out.time(tMs[r], tUs[r]);
      for (let c = 0; c < counts.length; c++) {
        out.byte(44);
        if (grams) {
          const g = grams[c][r];
          if (g === g) out.text(numberText(g));
        } else if (counts[c][r] !== NO_SAMPLE) out.int(counts[c][r]);
      }
      out.byte(10);
    }
  }

  gate(rows: GateRow[]): void {
    for (const row of rows) this.out.text([numberText(row.tMs), ...row.cells.map(cellText)].join(",") + "\n");
  }

  end(): void {
    this.out.flush();
  }
}
