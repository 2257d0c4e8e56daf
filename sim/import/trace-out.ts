import { closeSync, existsSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { shelfTruthText } from "../gen/trace-writer.ts";
import type { TruthEvent } from "../trace/truth.ts";
import type { ChannelScale } from "./channel-scale.ts";
import type { SampleSeries } from "./sample-series.ts";

export interface TraceOut {
  meta: Record<string, unknown>;
  /** One per channel, in header order; times in µs on the recording's base. */
  series: SampleSeries[];
  scales: ChannelScale[];
  unit: "grams" | "counts";
  /** The recording's time of t_ms = 0, in µs on the same base. */
  t0Us: number;
}

/** µs since t = 0 as t_ms: whole ms, and µs as up to three decimals. */
export function formatMs(us: number): string {
  const whole = Math.floor(us / 1000);
  const frac = us - whole * 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, "0").replace(/0+$/, "")}`;
}

/** Grams to 0.1 mg, far below a count's 1–5 mg: the text stays short and loses nothing a replay sees. */
const formatGrams = (g: number) => String(Math.round(g * 1e4) / 1e4);

/**
 * Writes the trace's rows, merged from every channel's own sample times (a row per distinct
 * instant; a channel with no sample then has an empty cell), through a temp file.
 */
function writeTraceFile(path: string, t: TraceOut): number {
  const fd = openSync(path, "w");
  let rows = 0;
  try {
    let buf = "# aisle-trace 1\n";
    for (const [k, v] of Object.entries(t.meta)) if (v !== undefined) buf += `# ${k}: ${JSON.stringify(v)}\n`;
    buf += ["t_ms", ...t.series.map((s) => s.id)].join(",") + "\n";
    const n = t.series.length;
    const next = new Array<number>(n).fill(0);
    const cells = new Array<string>(n);
    const fmt = t.unit === "grams" ? formatGrams : (v: number) => String(v);
    for (;;) {
      let tUs = Infinity;
      for (let c = 0; c < n; c++) if (next[c] < t.series[c].length && t.series[c].tUs[next[c]] < tUs) tUs = t.series[c].tUs[next[c]];
      if (tUs === Infinity) break;
      for (let c = 0; c < n; c++) {
        const s = t.series[c];
        if (next[c] < s.length && s.tUs[next[c]] === tUs) {
          const v = s.values[next[c]++];
          cells[c] = Number.isNaN(v) ? "" : fmt(v);
        } else {
          cells[c] = "";
        }
      }
      buf += formatMs(tUs - t.t0Us) + "," + cells.join(",") + "\n";
      rows++;
      if (buf.length > 1 << 16) {
        writeSync(fd, buf);
        buf = "";
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return rows;
}

/**
 * Writes PREFIX.trace.csv, and PREFIX.truth.jsonl when there is truth, each to a temp file first
 * and renamed into place only when both are whole: a failed import leaves nothing half-written.
 */
export function writeImport(prefix: string, t: TraceOut, truth: TruthEvent[] | undefined): { trace: string; truth?: string; rows: number } {
  const trace = `${prefix}.trace.csv`;
  const truthPath = truth ? `${prefix}.truth.jsonl` : undefined;
  const tmp = (p: string) => `${p}.tmp-${process.pid}`;
  mkdirSync(dirname(trace) || ".", { recursive: true });
  const temps: string[] = [];
  try {
    temps.push(tmp(trace));
    const rows = writeTraceFile(tmp(trace), t);
    if (truthPath) {
      temps.push(tmp(truthPath));
      const fd = openSync(tmp(truthPath), "w");
      try {
        writeSync(fd, truth!.length > 0 ? shelfTruthText(truth!) : "");
      } finally {
        closeSync(fd);
      }
      renameSync(tmp(truthPath), truthPath);
    }
    renameSync(tmp(trace), trace);
    return { trace, truth: truthPath, rows };
  } finally {
    for (const p of temps) if (existsSync(p)) unlinkSync(p);
  }
}
