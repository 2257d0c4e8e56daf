import { existsSync, readdirSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
import { TraceError } from "../trace/trace-types.ts";
import { readPlateCsv } from "./plate-csv.ts";
import { plateLabel, type Planogram } from "./planogram.ts";
import type { SampleSeries } from "./sample-series.ts";

/**
 * Reads a folder of per-plate CSVs, one per planogram plate (its `file`, or `ID.csv`). A plate
 * without its file, and a CSV in the folder that no plate reads (other than the labels), are
 * errors: either means the planogram and the recording do not describe the same shelf.
 */
export function readPlateFolder(dir: string, planogram: Planogram, labelsFile?: string): SampleSeries[] {
  const claimed = new Set<string>();
  if (labelsFile) claimed.add(resolve(labelsFile));
  const files = planogram.plates.map((pl) => {
    const file = join(dir, normalize(pl.file ?? `${pl.id}.csv`));
    if (!existsSync(file)) throw new TraceError(file, 0, `no such file: ${plateLabel(pl)} of the planogram ${planogram.file} has no CSV`);
    claimed.add(resolve(file));
    return file;
  });
  const stray = readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith(".csv") && !claimed.has(resolve(dir, name)))
    .sort();
  if (stray.length > 0) {
    throw new TraceError(join(dir, stray[0]), 0, `no plate of the planogram ${planogram.file} reads this file${stray.length > 1 ? ` (nor ${stray.length - 1} other CSV${stray.length > 2 ? "s" : ""}: ${stray.slice(1, 4).join(", ")}${stray.length > 4 ? ", …" : ""})` : ""}: add it to /plates or move it out of the folder`);
  }
  return planogram.plates.map((pl, i) => readPlateCsv(files[i], pl.id));
}
