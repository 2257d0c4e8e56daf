import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { TraceError } from "../trace/trace-types.ts";
import { isAifiLongHeader, readAifiLongCsv } from "./aifi-long-csv.ts";
import { readGenericCsv, type GenericCsvOptions } from "./generic-csv.ts";
import { readLines, splitDelimited } from "./line-reader.ts";
import { readPlanogram, type Planogram } from "./planogram.ts";
import { readPlateFolder } from "./plate-folder.ts";
import type { SampleSeries } from "./sample-series.ts";

export type RecordingForm = "aifi-folder" | "aifi-long" | "csv";

export interface RecordingRequest {
  input: string;
  planogram?: string;
  labels?: string;
  /** The column flags, when any was given: they make a file a generic CSV. */
  generic?: GenericCsvOptions;
}

export interface Recording {
  form: RecordingForm;
  series: SampleSeries[];
  unit: "grams" | "counts";
  planogram?: Planogram;
  labels?: string;
  skippedRows: number;
}

/** The first line of a file that is not blank or a comment. */
function firstLine(file: string): string {
  let first = "";
  readLines(file, (line) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    first = line;
    return false;
  });
  return first;
}

const DEFAULT_GENERIC: GenericCsvOptions = { time: "1", timeUnit: "s", weights: [], unit: "grams", delimiter: ",", header: true };

/**
 * Reads a recording in whichever form it is: a folder of per-plate CSVs (with DIR/planogram.json
 * unless another is named, and DIR/events.csv as labels when it is there), AiFi's long-form CSV
 * (by its header), or a generic CSV read through the column flags.
 */
export function readRecording(r: RecordingRequest): Recording {
  let stat;
  try {
    stat = statSync(r.input);
  } catch {
    throw new TraceError(r.input, 0, "no such file or folder");
  }
  if (stat.isDirectory()) {
    const planogramFile = r.planogram ?? join(r.input, "planogram.json");
    if (r.planogram === undefined && !existsSync(planogramFile)) {
      throw new TraceError(r.input, 0, "a folder of per-plate CSVs needs a planogram: put planogram.json in it, or give --planogram FILE");
    }
    const planogram = readPlanogram(planogramFile);
    if (planogram.plates.some((p) => p.g_per_count !== undefined)) throw new TraceError(planogramFile, 0, "/plates: per-plate CSVs are in grams, so plates take no \"offset\" or \"g_per_count\"");
    const labels = r.labels ?? (existsSync(join(r.input, "events.csv")) ? join(r.input, "events.csv") : undefined);
    return { form: "aifi-folder", series: readPlateFolder(r.input, planogram, labels), unit: "grams", planogram, labels, skippedRows: 0 };
  }
  const planogram = r.planogram === undefined ? undefined : readPlanogram(r.planogram);
  const generic = r.generic === undefined && isAifiLongHeader(splitDelimited(firstLine(r.input), ",") ?? []) ? undefined : r.generic ?? DEFAULT_GENERIC;
  if (generic === undefined) {
    if (planogram === undefined) throw new TraceError(r.input, 0, "an AiFi long-form CSV (timestamp, reading, gondola, shelf, plate) needs --planogram to say which plates make the shelf");
    const { series, skippedRows } = readAifiLongCsv(r.input, planogram);
    return { form: "aifi-long", series, unit: "grams", planogram, labels: r.labels, skippedRows };
  }
  const series = readGenericCsv(r.input, generic);
  if (planogram) matchChannels(series, planogram, generic.unit);
  else if (generic.unit === "counts") throw new TraceError(r.input, 0, "a recording in counts needs each channel's offset and g_per_count: give --planogram with them");
  return { form: "csv", series, unit: generic.unit, planogram, labels: r.labels, skippedRows: 0 };
}

/** A generic CSV's channels and the planogram's plates must be the same set; a recording in counts needs every plate's calibration. */
function matchChannels(series: SampleSeries[], p: Planogram, unit: "grams" | "counts"): void {
  const ids = series.map((s) => s.id);
  const missing = p.plates.find((pl) => !ids.includes(pl.id));
  if (missing) throw new TraceError(p.file, 0, `plate ${missing.id} is not a channel of the CSV (channels: ${ids.join(", ")}); map a column to it with --weight COL=${missing.id}`);
  const extra = ids.find((id) => !p.plates.some((pl) => pl.id === id));
  if (extra) throw new TraceError(p.file, 0, `the CSV's channel ${extra} is not a plate of the planogram`);
  const calibrated = p.plates.some((pl) => pl.g_per_count !== undefined);
  if (unit === "counts" && !calibrated) throw new TraceError(p.file, 0, "/plates: a recording in counts needs \"offset\" and \"g_per_count\" on every plate");
  if (unit === "grams" && calibrated) throw new TraceError(p.file, 0, "/plates: a recording in grams takes no \"offset\" or \"g_per_count\" (the import chooses them)");
  // Channels follow the planogram's order, as they do for the other forms.
  series.sort((a, b) => p.plates.findIndex((pl) => pl.id === a.id) - p.plates.findIndex((pl) => pl.id === b.id));
}
