import { TraceError } from "../trace/trace-types.ts";
import { parseTimeUs, parseValue, quoteCell, type TimeUnit } from "./cell-parse.ts";
import { readLines, splitDelimited } from "./line-reader.ts";
import { SampleSeries } from "./sample-series.ts";

const TIME_NAMES = ["unix_time_s", "unix_time", "timestamp", "time_s", "time", "t", "unix_time_ms", "time_ms", "t_ms", "unix_time_us", "time_us", "t_us"];
const WEIGHT_NAMES = ["weight_g", "weight", "reading", "grams", "value", "g"];

/** A header's time column, and its unit from the name's suffix (seconds unless _ms or _us). */
function timeColumn(names: string[]): { index: number; unit: TimeUnit } | undefined {
  for (const want of TIME_NAMES) {
    const index = names.indexOf(want);
    if (index >= 0) return { index, unit: want.endsWith("_ms") ? "ms" : want.endsWith("_us") ? "us" : "s" };
  }
  return undefined;
}

/**
 * Reads one plate's CSV: `unix_time_s,weight_g` rows, with or without that header (a first row
 * whose first cell is not a number is a header; recognised names pick the columns, otherwise the
 * first two are time and weight). Times may repeat (AiFi batches) but never go back.
 */
export function readPlateCsv(file: string, id: string): SampleSeries {
  const series = new SampleSeries(id, file);
  let cols: { time: number; weight: number; unit: TimeUnit; width: number } | undefined;
  readLines(file, (line, lineNo) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const cells = splitDelimited(line, ",");
    if (cells === undefined) throw new TraceError(file, lineNo, "a quoted cell is not closed");
    if (cols === undefined) {
      if (parseTimeUs(cells[0], "s") === undefined) {
        const names = cells.map((c) => c.trim().toLowerCase());
        const t = timeColumn(names);
        const w = WEIGHT_NAMES.map((n) => names.indexOf(n)).find((i) => i >= 0);
        if (t !== undefined && w !== undefined) cols = { time: t.index, weight: w, unit: t.unit, width: names.length };
        else if (names.length === 2) cols = { time: 0, weight: 1, unit: "s", width: 2 };
        else throw new TraceError(file, lineNo, `cannot tell the time and weight columns from the header ${quoteCell(line)}: name them unix_time_s and weight_g`);
        return;
      }
      cols = { time: 0, weight: 1, unit: "s", width: 2 };
    }
    if (cells.length < cols.width) throw new TraceError(file, lineNo, `the row has ${cells.length} cells, expected ${cols.width}`);
    const tUs = parseTimeUs(cells[cols.time], cols.unit);
    if (tUs === undefined) throw new TraceError(file, lineNo, `the time ${quoteCell(cells[cols.time])} is not a number`);
    if (tUs < series.lastTUs) {
      throw new TraceError(file, lineNo, `time ${cells[cols.time].trim()} goes back: the previous row was ${(series.lastTUs / 10 ** (cols.unit === "s" ? 6 : cols.unit === "ms" ? 3 : 0))}`);
    }
    const v = parseValue(cells[cols.weight]);
    if (v === undefined) throw new TraceError(file, lineNo, `the weight ${quoteCell(cells[cols.weight])} is not a number`);
    series.push(tUs, v, lineNo);
  });
  if (series.length === 0) throw new TraceError(file, 0, `no samples for plate ${id}: the file has no data rows`);
  return series;
}
