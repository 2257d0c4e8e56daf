import { importRecording, type ImportRequest } from "../../sim/import/import-recording.ts";
import type { GenericCsvOptions } from "../../sim/import/generic-csv.ts";
import { UsageError } from "../usage-error.ts";

export interface TraceImportArgs {
  out: string;
  planogram?: string;
  labels?: string;
  time?: string;
  timeUnit?: string;
  timeBase?: string;
  weight?: string[];
  unit?: string;
  delimiter?: string;
  /** commander's --no-header: false when given. */
  header?: boolean;
  rate?: string;
  device?: string;
  json?: boolean;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be ${allowed.join(", ").replace(/, ([^,]*)$/, " or $1")}, not ${JSON.stringify(value)}`);
  return value as T;
}

function delimiterOf(text: string | undefined): string {
  if (text === undefined) return ",";
  if (text === "tab" || text === "\\t" || text === "\t") return "\t";
  if (text.length !== 1 || /[0-9A-Za-z".\-+\s]/.test(text)) throw new UsageError(`--delimiter must be one character such as , ; | or tab, not ${JSON.stringify(text)}`);
  return text;
}

/** The column flags make a file a generic CSV; without any, the reader looks at the header. */
function genericOptions(a: TraceImportArgs): GenericCsvOptions | undefined {
  const given = a.time !== undefined || a.timeUnit !== undefined || (a.weight?.length ?? 0) > 0 || a.unit !== undefined || a.delimiter !== undefined || a.header === false;
  if (!given) return undefined;
  return {
    time: a.time ?? "1",
    timeUnit: oneOf("--time-unit", a.timeUnit, ["s", "ms", "us"] as const, "s"),
    weights: a.weight ?? [],
    unit: oneOf("--unit", a.unit, ["grams", "counts"] as const, "grams"),
    delimiter: delimiterOf(a.delimiter),
    header: a.header !== false,
  };
}

/** aisle trace import: a recording from elsewhere into trace format 1 (docs/import.md). */
export function traceImportCommand(input: string, a: TraceImportArgs): number {
  let rateHz: number | undefined;
  if (a.rate !== undefined) {
    rateHz = Number(a.rate);
    if (!(rateHz > 0 && rateHz <= 10000)) throw new UsageError(`--rate must be a number of samples a second above 0, not ${JSON.stringify(a.rate)}`);
  }
  if (a.device !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(a.device)) throw new UsageError(`--device must be letters, digits and _ . : - only, not ${JSON.stringify(a.device)}`);
  const req: ImportRequest = {
    input,
    out: a.out,
    planogram: a.planogram,
    labels: a.labels,
    generic: genericOptions(a),
    timeBase: oneOf("--time-base", a.timeBase, ["unix", "relative", "auto"] as const, "auto"),
    rateHz,
    device: a.device,
  };
  const s = importRecording(req);
  if (s.otherTruth) process.stderr.write(`aisle: warning: ${s.otherTruth} was not written by this import (the recording has no labels), yet replay will score ${s.trace} against it\n`);
  if (a.json) {
    process.stdout.write(JSON.stringify(s) + "\n");
    return 0;
  }
  const lines = [
    `${s.trace}: ${s.channels} channels, ${s.samples} samples in ${s.rows} rows, ${s.duration_s.toFixed(1)} s at ${s.rate_hz} Hz${s.recorded ? `, from ${s.recorded}` : ""}`,
  ];
  if (s.truth) lines.push(`${s.truth}: ${s.events} labelled events`);
  if (s.missing > 0) lines.push(`  ${s.missing} samples marked missing in the recording: empty cells`);
  if (s.spread > 0) lines.push(`  ${s.spread} samples shared a timestamp with the one before: spread evenly to the next`);
  if (s.skippedRows > 0) lines.push(`  ${s.skippedRows} rows of plates the planogram does not list: skipped`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
