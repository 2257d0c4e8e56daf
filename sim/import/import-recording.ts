import { existsSync } from "node:fs";
import { basename } from "node:path";
import { TraceError } from "../trace/trace-types.ts";
import type { TruthEvent } from "../trace/truth.ts";
import { UNIX_FROM_US } from "./cell-parse.ts";
import { MAX_SPAN_G, scaleFor, type ChannelScale } from "./channel-scale.ts";
import { readLabels } from "./labels.ts";
import type { Planogram } from "./planogram.ts";
import { readRecording, type RecordingForm, type RecordingRequest } from "./read-recording.ts";
import { rateFromSeries, spreadEqualTimes } from "./sample-series.ts";
import { writeImport } from "./trace-out.ts";

export interface ImportRequest extends RecordingRequest {
  /** Path prefix: writes PREFIX.trace.csv and, with labels, PREFIX.truth.jsonl. */
  out: string;
  timeBase: "unix" | "relative" | "auto";
  rateHz?: number;
  device?: string;
}

export interface ImportSummary {
  form: RecordingForm;
  trace: string;
  truth?: string;
  channels: number;
  rows: number;
  samples: number;
  /** Samples the recording marked missing (empty cells in the trace). */
  missing: number;
  /** Samples that shared a timestamp and were spread to the next one. */
  spread: number;
  /** Rows of a long-form CSV for plates the planogram does not list. */
  skippedRows: number;
  rate_hz: number;
  duration_s: number;
  recorded?: string;
  events?: number;
  /** A truth file beside the trace that this import did not write (it had no labels): replay will score against it. */
  otherTruth?: string;
}

const FORM_TEXT: Record<RecordingForm, string> = { "aifi-folder": "per-plate CSVs", "aifi-long": "an AiFi long-form CSV", csv: "a CSV" };

/** An ISO 8601 time to the µs, from unix µs. */
export function isoFromUnixUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  return us === ms * 1000 ? iso : `${iso.slice(0, -1)}${String(us - ms * 1000).padStart(3, "0")}Z`;
}

/** Each channel its own lane, for labels of a recording that has no planogram. */
function channelLanes(ids: string[], file: string): Planogram {
  return { file, plates: ids.map((id) => ({ id })), lanes: ids.map((id) => ({ id, plates: [id] })) };
}

/** Imports a recording into trace format 1 (docs/import.md) and says what it wrote. */
export function importRecording(r: ImportRequest): ImportSummary {
  const rec = readRecording(r);
  let spread = 0;
  for (const s of rec.series) spread += spreadEqualTimes(s);
  const t0Us = Math.min(...rec.series.map((s) => (s.length > 0 ? s.tUs[0] : Infinity)));
  const endUs = Math.max(...rec.series.map((s) => s.lastTUs));
  const rateHz = r.rateHz ?? rateFromSeries(rec.series);
  if (rateHz === undefined) throw new TraceError(r.input, 0, "cannot measure the sample rate: no channel has two samples at different times; give --rate");
  const scales: ChannelScale[] = rec.series.map((s) => {
    if (rec.unit === "counts") {
      const pl = rec.planogram!.plates.find((p) => p.id === s.id)!;
      return { offset: pl.offset!, gPerCount: pl.g_per_count! };
    }
    const scale = scaleFor(s);
    if (scale === undefined) throw new TraceError(s.file, 0, `channel ${s.id} spans more than ${MAX_SPAN_G} g: too wide for an HX711's 24 bits at 0.005 g a count`);
    return scale;
  });
  const unix = r.timeBase === "unix" || (r.timeBase === "auto" && t0Us >= UNIX_FROM_US);
  const p = rec.planogram;
  let truth: TruthEvent[] | undefined;
  if (rec.labels) truth = readLabels(rec.labels, p ?? channelLanes(rec.series.map((s) => s.id), r.input), t0Us, endUs);
  const lanes = p && p.lanes.length > 0
    ? p.lanes.map((l) => ({ id: l.id, channels: l.plates, sku: l.sku, unit_g: l.unit_g }))
    : undefined;
  const recorded = unix ? isoFromUnixUs(t0Us) : undefined;
  const device = r.device ?? p?.device ?? (basename(r.input).replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_.:-]+/g, "_") || "import");
  const meta = {
    kind: "shelf",
    device,
    rate_hz: rateHz,
    unit: rec.unit,
    channels: Object.fromEntries(rec.series.map((s, i) => [s.id, { offset: scales[i].offset, g_per_count: scales[i].gPerCount }])),
    lanes,
    recorded,
    source: p?.source ?? `aisle trace import of ${FORM_TEXT[rec.form]}: ${basename(r.input)}${p ? `, planogram ${basename(p.file)}` : ""}`,
  };
  const prefix = r.out.replace(/\.trace\.csv$/i, "");
  const out = writeImport(prefix, { meta, series: rec.series, scales, unit: rec.unit, t0Us }, truth);
  return {
    form: rec.form,
    trace: out.trace,
    truth: out.truth,
    channels: rec.series.length,
    rows: out.rows,
    samples: rec.series.reduce((n, s) => n + s.length - s.missing, 0),
    missing: rec.series.reduce((n, s) => n + s.missing, 0),
    spread,
    skippedRows: rec.skippedRows,
    rate_hz: rateHz,
    duration_s: (endUs - t0Us) / 1e6,
    recorded,
    events: truth?.length,
    otherTruth: !truth && existsSync(`${prefix}.truth.jsonl`) ? `${prefix}.truth.jsonl` : undefined,
  };
}
