import { closeSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { BinTraceWriter } from "./bin-writer.ts";
import { CsvTraceWriter } from "./csv-writer.ts";
import { isBinaryTrace, openRawTrace, type OpenTraceOptions } from "./open-trace-stream.ts";
import { TraceError } from "./trace-types.ts";

export interface Converted {
  kind: "shelf" | "gate";
  rows: number;
  samples: number;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Reads a trace in one form and writes it in the form its output path names, a chunk at a time
 * (constant memory for shelf traces), into a temporary file beside the output that is renamed
 * over it only when the whole trace has been read and written: a failure leaves no output.
 */
export function convertTrace(input: string, output: string, options: OpenTraceOptions = {}): Converted {
  const raw = openRawTrace(input, options);
  const tmp = join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    try {
      fd = openSync(tmp, "w");
    } catch (e) {
      throw new TraceError(output, 0, `cannot write: ${code(e)}`);
    }
    const h = raw.header;
    const writer = isBinaryTrace(output)
      ? new BinTraceWriter(fd, output, raw.preamble, h.kind === "shelf" ? h.channels!.length : 0, h.unit === "grams")
      : new CsvTraceWriter(fd, raw.preamble);
    let rows = 0;
    let samples: number;
    if (raw.kind === "shelf") {
      for (let chunk = raw.stream.nextRaw(); chunk !== undefined; chunk = raw.stream.nextRaw()) {
        writer.shelf(chunk);
        rows += chunk.rows;
      }
      samples = raw.stream.sampleCount;
    } else {
      writer.gate(raw.rows);
      rows = raw.rows.length;
      samples = raw.rows.reduce((n, r) => n + r.cells.filter((c) => c !== "").length, 0);
    }
    writer.end();
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, output);
    return { kind: raw.kind, rows, samples };
  } catch (e) {
    if (raw.kind === "shelf") raw.stream.close();
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (e instanceof Error && "code" in e && !(e instanceof TraceError)) throw new TraceError(output, 0, `cannot write: ${code(e)}`);
    throw e;
  }
}
