import { TraceError } from "../trace/trace-types.ts";
import { parseTimeUs, parseValue, quoteCell, type TimeUnit } from "./cell-parse.ts";
import { readLines, splitDelimited } from "./line-reader.ts";
import { SampleSeries } from "./sample-series.ts";

export interface GenericCsvOptions {
  /** The time column: a header name, or a number from 1. */
  time: string;
  timeUnit: TimeUnit;
  /** Weight columns, each `COL` or `COL=ID` (COL a header name or a number from 1); empty: every other column. */
  weights: string[];
  unit: "grams" | "counts";
  delimiter: string;
  header: boolean;
}

const ID = /^[A-Za-z0-9_.:-]+$/;
const MIN_COUNT = -8388608;
const MAX_COUNT = 8388607;

/** Resolves a column given by header name or 1-based number. */
function columnIndex(spec: string, names: string[] | undefined, width: number, file: string, line: number): number {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    if (n < 1 || n > width) throw new TraceError(file, line, `column ${n} does not exist: the first row has ${width} columns`);
    return n - 1;
  }
  if (names === undefined) throw new TraceError(file, line, `column ${JSON.stringify(spec)} is a name, but the file has no header: give columns by number`);
  let i = names.indexOf(spec);
  if (i < 0) i = names.findIndex((n) => n.toLowerCase() === spec.toLowerCase());
  if (i < 0) throw new TraceError(file, line, `no column ${JSON.stringify(spec)} in the header (columns: ${names.join(", ")})`);
  return i;
}

/** A channel id from a header name: trace ids are letters, digits and _ . : - */
const idFrom = (name: string) => name.trim().replace(/[^A-Za-z0-9_.:-]+/g, "_") || "ch";

/**
 * Reads a CSV of one time column and weight columns into one series per weight column. Rows
 * share one time, so each channel's samples are at the row times; empty cells are no sample.
 */
export function readGenericCsv(file: string, o: GenericCsvOptions): SampleSeries[] {
  let series: SampleSeries[] | undefined;
  let timeCol = 0;
  let weightCols: number[] = [];
  let width = 0;
  const setUp = (first: string[], lineNo: number, names: string[] | undefined) => {
    width = first.length;
    timeCol = columnIndex(o.time, names, width, file, lineNo);
    const specs = o.weights.length > 0 ? o.weights : first.map((_, i) => String(i + 1)).filter((_, i) => i !== timeCol);
    const ids: string[] = [];
    weightCols = specs.map((spec) => {
      const eq = spec.lastIndexOf("=");
      const col = columnIndex(eq > 0 ? spec.slice(0, eq) : spec, names, width, file, lineNo);
      const id = eq > 0 ? spec.slice(eq + 1) : names ? idFrom(names[col]) : `ch${col + 1}`;
      if (!ID.test(id)) throw new TraceError(file, lineNo, `channel id ${JSON.stringify(id)} must be letters, digits and _ . : - only`);
      if (ids.includes(id)) throw new TraceError(file, lineNo, `two weight columns would both be channel ${id}: name them with COL=ID`);
      if (col === timeCol) throw new TraceError(file, lineNo, `column ${spec} is the time column`);
      ids.push(id);
      return col;
    });
    if (weightCols.length === 0) throw new TraceError(file, lineNo, "no weight columns: the file has only a time column");
    series = ids.map((id) => new SampleSeries(id, file));
  };
  let lastT = -Infinity;
  readLines(file, (line, lineNo) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const cells = splitDelimited(line, o.delimiter);
    if (cells === undefined) throw new TraceError(file, lineNo, "a quoted cell is not closed");
    if (series === undefined) {
      if (o.header) return setUp(cells, lineNo, cells.map((c) => c.trim()));
      setUp(cells, lineNo, undefined);
    }
    if (cells.length < width) throw new TraceError(file, lineNo, `the row has ${cells.length} cells, the ${o.header ? "header" : "first row"} ${width}`);
    const tUs = parseTimeUs(cells[timeCol], o.timeUnit);
    if (tUs === undefined) throw new TraceError(file, lineNo, `the time ${quoteCell(cells[timeCol])} is not a number`);
    if (tUs < lastT) throw new TraceError(file, lineNo, `time ${cells[timeCol].trim()} goes back: an earlier row is later`);
    lastT = tUs;
    weightCols.forEach((c, k) => {
      const v = parseValue(cells[c]);
      if (v === undefined) throw new TraceError(file, lineNo, `column ${c + 1}: ${quoteCell(cells[c])} is not a number`);
      if (o.unit === "counts" && !Number.isNaN(v) && (!Number.isInteger(v) || v < MIN_COUNT || v > MAX_COUNT)) {
        throw new TraceError(file, lineNo, `column ${c + 1}: ${cells[c].trim()} is not a whole number of counts in the HX711's signed 24-bit range`);
      }
      if (!Number.isNaN(v)) series![k].push(tUs, v, lineNo);
      else if (cells[c].trim() !== "") series![k].missing++;
    });
  });
  if (series === undefined || series.every((s) => s.length === 0)) throw new TraceError(file, 0, "no data rows");
  return series;
}
