import { TraceError } from "../trace/trace-types.ts";
import { parseTimeUs, parseValue, quoteCell } from "./cell-parse.ts";
import { readLines, splitDelimited } from "./line-reader.ts";
import { plateLabel, type Planogram } from "./planogram.ts";
import { SampleSeries } from "./sample-series.ts";

const NAMES = {
  time: ["timestamp", "unix_time_s", "time", "time_s"],
  weight: ["reading", "weight_g", "weight", "grams"],
  gondola: ["gondola", "gondola_id"],
  shelf: ["shelf", "shelf_id", "shelf_index"],
  plate: ["plate", "plate_id", "plate_index", "plate number", "plate_number"],
};
type Column = keyof typeof NAMES;

/** Whether a CSV header is AiFi's long form: one row per sample, with gondola, shelf and plate. */
export function isAifiLongHeader(cells: string[]): boolean {
  const names = cells.map((c) => c.trim().toLowerCase());
  return (Object.keys(NAMES) as Column[]).every((k) => NAMES[k].some((n) => names.includes(n)));
}

/**
 * Reads AiFi's long form (the CPS-IoT 2020 `weight.csv`: timestamp, reading in grams, gondola,
 * shelf, plate number) into one series per planogram plate, picked by its gondola, shelf and
 * plate numbers. A store's file holds every gondola: rows of plates the planogram does not list
 * are skipped and counted.
 */
export function readAifiLongCsv(file: string, planogram: Planogram): { series: SampleSeries[]; skippedRows: number } {
  const byKey = new Map<string, SampleSeries>();
  for (const pl of planogram.plates) {
    if (pl.gondola === undefined) throw new TraceError(planogram.file, 0, `${plateLabel(pl)} has no gondola, shelf and plate numbers: a long-form CSV names plates by them`);
    byKey.set(`${pl.gondola}/${pl.shelf}/${pl.plate}`, new SampleSeries(pl.id, file));
  }
  let col: Record<Column, number> | undefined;
  let skippedRows = 0;
  readLines(file, (line, lineNo) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const cells = splitDelimited(line, ",");
    if (cells === undefined) throw new TraceError(file, lineNo, "a quoted cell is not closed");
    if (col === undefined) {
      if (!isAifiLongHeader(cells)) throw new TraceError(file, lineNo, `the header must name timestamp, reading, gondola, shelf and plate columns, found ${quoteCell(line)}`);
      const names = cells.map((c) => c.trim().toLowerCase());
      col = Object.fromEntries((Object.keys(NAMES) as Column[]).map((k) => [k, names.findIndex((n) => NAMES[k].includes(n))])) as Record<Column, number>;
      return;
    }
    const width = Math.max(...Object.values(col)) + 1;
    if (cells.length < width) throw new TraceError(file, lineNo, `the row has ${cells.length} cells, expected at least ${width}`);
    const whole = (k: Column) => {
      const v = parseValue(cells[col![k]]);
      if (v === undefined || !Number.isInteger(v)) throw new TraceError(file, lineNo, `the ${k} ${quoteCell(cells[col![k]])} is not a whole number`);
      return v;
    };
    const series = byKey.get(`${whole("gondola")}/${whole("shelf")}/${whole("plate")}`);
    if (series === undefined) {
      skippedRows++;
      return;
    }
    const tUs = parseTimeUs(cells[col.time], "s");
    if (tUs === undefined) throw new TraceError(file, lineNo, `the timestamp ${quoteCell(cells[col.time])} is not a number`);
    if (tUs < series.lastTUs) throw new TraceError(file, lineNo, `timestamp ${cells[col.time].trim()} goes back for plate ${series.id}: its previous row was ${series.lastTUs / 1e6} (line ${series.lines[series.length - 1]})`);
    const v = parseValue(cells[col.weight]);
    if (v === undefined) throw new TraceError(file, lineNo, `the reading ${quoteCell(cells[col.weight])} is not a number`);
    series.push(tUs, v, lineNo);
  });
  if (col === undefined) throw new TraceError(file, 0, "the file is empty: no header row");
  for (const pl of planogram.plates) {
    const s = byKey.get(`${pl.gondola}/${pl.shelf}/${pl.plate}`)!;
    if (s.length === 0) throw new TraceError(file, 0, `no rows for ${plateLabel(pl)}, which the planogram ${planogram.file} lists`);
  }
  return { series: planogram.plates.map((pl) => byKey.get(`${pl.gondola}/${pl.shelf}/${pl.plate}`)!), skippedRows };
}
