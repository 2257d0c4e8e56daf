import type { ByteSource } from "./byte-source.ts";
import { CsvShelfStream } from "./csv-shelf-stream.ts";
import { checkFirstLine, rowCells, rowTMs } from "./csv-rules.ts";
import { GateBuilder } from "./gate-builder.ts";
import type { GateRow, RawTrace } from "./raw-trace.ts";
import { parseTraceMeta, type TraceHeader } from "./trace-meta.ts";
import { TraceError, type GateTrace } from "./trace-types.ts";

/** The next line (as text.split("\n") would give it, without a last empty one), or undefined at the end. */
export function readLine(src: ByteSource, lineNo: number): string | undefined {
  for (;;) {
    const s = src.start;
    const nl = src.buf.indexOf(10, s);
    if (nl >= src.end && src.refill(s, `line ${lineNo}`)) continue;
    if (s >= src.end) return undefined;
    src.start = nl + 1;
    return src.buf.toString("utf8", s, nl);
  }
}

const stripCr = (raw: string) => (raw.endsWith("\r") ? raw.slice(0, -1) : raw);

/**
 * Opens a CSV trace (trace-format.md): reads and checks the metadata and header, then gives a
 * shelf trace as a stream of rows, or a gate trace whole. Errors name file and line.
 */
export function openCsvTrace(src: ByteSource, chunkRows?: number): RawTrace {
  const file = src.file;
  let lineNo = 0;
  const metaLines: { line: number; text: string }[] = [];
  let header: TraceHeader | undefined;
  let headerText = "";
  try {
    for (let raw = readLine(src, 1); raw !== undefined; raw = readLine(src, lineNo + 1)) {
      const line = stripCr(raw);
      lineNo++;
      if (lineNo === 1) {
        checkFirstLine(line, (p) => {
          throw new TraceError(file, 1, p);
        });
      } else if (line.startsWith("#")) {
        metaLines.push({ line: lineNo, text: line });
      } else if (line.trim() !== "") {
        header = parseTraceMeta(file, metaLines, line, lineNo);
        headerText = line;
        break;
      }
    }
    if (lineNo === 0) throw new TraceError(file, 0, "the file is empty");
    if (header === undefined) throw new TraceError(file, lineNo, "no header row (t_ms,...) after the metadata");
  } catch (e) {
    src.close();
    throw e;
  }
  const preamble = [...metaLines.map((m) => m.text), headerText];
  if (header.kind === "shelf") return { kind: "shelf", file, header, preamble, stream: new CsvShelfStream(src, header, lineNo, chunkRows) };
  try {
    const { rows, trace } = readGateRows(src, header, lineNo);
    return { kind: "gate", file, header, preamble, rows, trace };
  } finally {
    src.close();
  }
}

function readGateRows(src: ByteSource, header: TraceHeader, lineNo: number): { rows: GateRow[]; trace: GateTrace } {
  const builder = new GateBuilder(src.file, header);
  const rows: GateRow[] = [];
  const fail = (p: string): never => {
    throw new TraceError(src.file, lineNo, p);
  };
  let lastTMs = -Infinity;
  for (let raw = readLine(src, lineNo + 1); raw !== undefined; raw = readLine(src, lineNo + 1)) {
    lineNo++;
    const line = stripCr(raw);
    if (line.trim() === "" || line.startsWith("#")) continue;
    const cells = rowCells(line, header.columns.length, fail);
    const tMs = rowTMs(cells[0], lastTMs, fail);
    lastTMs = tMs;
    builder.row(cells, Math.round(tMs * 1000), fail);
    rows.push({ tMs, cells: cells.slice(1) });
  }
  if (rows.length === 0) fail("the trace has a header but no data rows");
  return { rows, trace: builder.trace };
}
