import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv";
import { readFileSync } from "node:fs";
import { TraceError } from "../trace/trace-types.ts";

/** A plate of a planogram (docs/import.md): a channel of the trace. */
export interface PlanogramPlate {
  id: string;
  /** Per-plate CSV, relative to the recording's folder; default `ID.csv`. */
  file?: string;
  /** AiFi numbering, to pick the plate's rows out of a long-form CSV and to name it in labels. */
  gondola?: number;
  shelf?: number;
  plate?: number;
  /** Only for recordings in counts: the calibration the trace carries. */
  offset?: number;
  g_per_count?: number;
}

export interface PlanogramLane {
  id: string;
  plates: string[];
  sku?: string;
  unit_g?: number;
  name?: string;
}

export interface Planogram {
  file: string;
  device?: string;
  source?: string;
  plates: PlanogramPlate[];
  lanes: PlanogramLane[];
}

let validator: ReturnType<Ajv2020["compile"]> | undefined;

function schemaValidator() {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    validator = ajv.compile(JSON.parse(readFileSync(new URL("./planogram.schema.json", import.meta.url), "utf8")));
  }
  return validator;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || "(top level)";
  if (e.keyword === "additionalProperties") return `${where}: unknown key "${e.params.additionalProperty}"`;
  if (e.keyword === "required") return `${where}: missing "${e.params.missingProperty}"`;
  if (e.keyword === "dependentRequired") return `${where}: "${e.params.property}" needs "${e.params.missingProperty}" too`;
  if (e.keyword === "pattern" && /\/id$/.test(where)) return `${where}: must be letters, digits and _ . : - only`;
  return `${where}: ${e.message}`;
}

/** The 1-based line of a character offset, for JSON syntax errors. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Reads and checks a planogram: its JSON schema (sim/import/planogram.schema.json, with ajv), then
 * what a schema cannot say. Every problem names the file and the JSON path.
 */
export function readPlanogram(file: string): Planogram {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new TraceError(file, 0, `cannot read the planogram: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    throw new TraceError(file, pos ? lineAt(text, Number(pos[1])) : 0, `not JSON: ${(e as Error).message}`);
  }
  const validate = schemaValidator();
  if (!validate(doc)) {
    const problems = [...new Set((validate.errors ?? []).map(describe))];
    throw new TraceError(file, 0, problems.length === 1 ? problems[0] : "\n  " + problems.join("\n  "));
  }
  const raw = doc as Omit<Planogram, "file" | "lanes"> & { lanes?: PlanogramLane[] };
  const p: Planogram = { file, device: raw.device, source: raw.source, plates: raw.plates, lanes: raw.lanes ?? [] };
  const problems = crossChecks(p);
  if (problems.length > 0) throw new TraceError(file, 0, problems.length === 1 ? problems[0] : "\n  " + problems.join("\n  "));
  return p;
}

function crossChecks(p: Planogram): string[] {
  const problems: string[] = [];
  const firstSeen = <K>(seen: Map<K, string>, key: K, where: string, what: string) => {
    const other = seen.get(key);
    if (other !== undefined) problems.push(`${where}: ${what} is also at ${other}`);
    else seen.set(key, where);
  };
  const ids = new Map<string, string>();
  const files = new Map<string, string>();
  const numbers = new Map<string, string>();
  p.plates.forEach((pl, i) => {
    firstSeen(ids, pl.id, `/plates/${i}/id`, `plate ${pl.id}`);
    firstSeen(files, pl.file ?? `${pl.id}.csv`, `/plates/${i}`, `file ${pl.file ?? `${pl.id}.csv`}`);
    if (pl.gondola !== undefined) firstSeen(numbers, `${pl.gondola}/${pl.shelf}/${pl.plate}`, `/plates/${i}`, `gondola ${pl.gondola} shelf ${pl.shelf} plate ${pl.plate}`);
  });
  const calibrated = p.plates.filter((pl) => pl.g_per_count !== undefined).length;
  if (calibrated > 0 && calibrated < p.plates.length) problems.push(`/plates: either every plate has "offset" and "g_per_count" (a recording in counts) or none does`);
  const laneIds = new Map<string, string>();
  const owner = new Map<string, string>();
  p.lanes.forEach((l, i) => {
    firstSeen(laneIds, l.id, `/lanes/${i}/id`, `lane ${l.id}`);
    l.plates.forEach((id, k) => {
      if (!ids.has(id)) problems.push(`/lanes/${i}/plates/${k}: no plate ${JSON.stringify(id)} in /plates`);
      else firstSeen(owner, id, `/lanes/${i}/plates/${k}`, `plate ${id}`);
    });
  });
  return problems;
}

/** The plate a default file name or AiFi numbers name, for messages. */
export function plateLabel(pl: PlanogramPlate): string {
  return pl.gondola === undefined ? `plate ${pl.id}` : `plate ${pl.id} (gondola ${pl.gondola}, shelf ${pl.shelf}, plate ${pl.plate})`;
}
