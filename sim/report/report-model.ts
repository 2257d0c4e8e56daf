import type { ReplayEntry } from "../replay.ts";
import type { DetectedEvent } from "../score.ts";
import type { TruthEvent } from "../trace/truth.ts";
import type { TraceSeries } from "./series-types.ts";

export type IssueKind = "miss" | "phantom" | "count";

/** Something a reader should look at: where it is (lane, window) and which runners showed it. */
export interface ReportIssue {
  id: string;
  kind: IssueKind;
  runners: string[];
  lane: string;
  t0Ms: number;
  t1Ms: number;
  /** The window a link zooms the chart to; the report keeps the lane at full detail there. */
  zoom: { t0Ms: number; t1Ms: number };
  text: string;
}

/** An issue's window with room either side: enough to see the lane settle before and after. */
export function zoomWindow(t0Ms: number, t1Ms: number): { t0Ms: number; t1Ms: number } {
  const padMs = Math.max(3000, (t1Ms - t0Ms) * 0.5);
  return { t0Ms: Math.max(0, t0Ms - padMs), t1Ms: t1Ms + padMs };
}

/** What the page's script draws for one trace: series (read apart, see laneSeries), truth, each runner's events, issues. */
export interface ChartData {
  truth: { type: string; lane: string; t0: number; t1: number; count?: number; grams?: number }[];
  /** Runners that published the same payloads share a group: one group when they all agree. */
  groups: { members: string[]; events: { type: string; lane: string; t: number; t0?: number; count?: number; grams?: number }[] }[];
  issues: { id: string; kind: IssueKind; runners: string[]; lane: string; t0: number; t1: number; z0: number; z1: number }[];
}

export interface ReportTrace {
  id: string;
  file: string;
  entries: ReplayEntry[];
  /** Whether every runner published the same payloads; null with one runner. */
  parity: boolean | null;
  issues: ReportIssue[];
  chart: ChartData;
}

export type SeriesOrError = TraceSeries | { kind: "error"; message: string };

const num = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
const signed = (g: number | undefined) => (g === undefined ? "" : ` (${g > 0 ? "+" : g < 0 ? "−" : ""}${Math.abs(Math.round(g))} g)`);
const items = (count: number | undefined) => (count === undefined ? "" : ` ${count} ×`);

export function fmtMs(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(1).padStart(4, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

function truthText(t: TruthEvent): string {
  const when = t.tStartMs === t.tEndMs ? `at ${fmtMs(t.tStartMs)}` : `${fmtMs(t.tStartMs)}–${fmtMs(t.tEndMs)}`;
  return `${t.type}${items(t.count)}${t.sku ? " " + t.sku : ""}${signed(t.grams)} ${when}`;
}

function detectedText(e: DetectedEvent): string {
  return `${e.type}${items(num(e.count))}${signed(num(e.grams))} at ${fmtMs(e.t_ms)}`;
}

/** The issues of every runner of one trace, an issue seen by several runners listed once with all of them. */
function issuesOf(traceId: string, entries: ReplayEntry[]): ReportIssue[] {
  const byKey = new Map<string, ReportIssue>();
  const add = (runner: string, kind: IssueKind, lane: string, t0Ms: number, t1Ms: number, text: string) => {
    const key = `${kind}|${lane}|${t0Ms}|${t1Ms}|${text}`;
    const seen = byKey.get(key);
    if (seen) seen.runners.push(runner);
    else byKey.set(key, { id: "", kind, runners: [runner], lane, t0Ms, t1Ms, zoom: zoomWindow(t0Ms, t1Ms), text });
  };
  for (const e of entries) {
    const s = e.score;
    if (!s) continue;
    for (const t of s.misses) add(e.runner, "miss", t.lane, t.tStartMs, t.tEndMs, `truth ${truthText(t)}: nothing detected`);
    for (const d of s.phantoms) add(e.runner, "phantom", d.lane, num(d.t_start_ms) ?? d.t_ms, d.t_ms, `detected ${detectedText(d)}: no truth`);
    for (const { truth: t, detected: d } of s.wrongCounts) {
      add(e.runner, "count", t.lane, Math.min(t.tStartMs, d.t_ms), Math.max(t.tEndMs, d.t_ms),
        `detected ${d.type} of ${num(d.count) ?? "no"} for truth ${truthText(t)}`);
    }
  }
  const issues = [...byKey.values()].sort((a, b) => a.t0Ms - b.t0Ms || a.lane.localeCompare(b.lane) || a.kind.localeCompare(b.kind));
  issues.forEach((x, i) => (x.id = `${traceId}-i${i}`));
  return issues;
}

/** The runners of one trace grouped by identical payloads, byte for byte (what parity compares). */
function groupsOf(entries: ReplayEntry[]): ChartData["groups"] {
  const byPayloads = new Map<string, ChartData["groups"][number]>();
  for (const e of entries) {
    const key = JSON.stringify(e.payloads);
    const g = byPayloads.get(key);
    if (g) g.members.push(e.runner);
    else {
      byPayloads.set(key, {
        members: [e.runner],
        events: e.events.map((d) => ({ type: d.type, lane: d.lane, t: d.t_ms, t0: num(d.t_start_ms), count: num(d.count), grams: num(d.grams) })),
      });
    }
  }
  return [...byPayloads.values()];
}

/** Groups replay entries by trace (in the order they came) with their issues and chart data. */
export function reportModel(entries: ReplayEntry[]): ReportTrace[] {
  const byTrace = new Map<string, ReplayEntry[]>();
  for (const e of entries) {
    const g = byTrace.get(e.trace);
    if (g) g.push(e);
    else byTrace.set(e.trace, [e]);
  }
  return [...byTrace].map(([file, group], i) => {
    const id = `t${i}`;
    const issues = issuesOf(id, group);
    const truth = group[0].truth ?? [];
    const groups = groupsOf(group);
    return {
      id, file, entries: group, parity: group.length < 2 ? null : groups.length === 1, issues,
      chart: {
        truth: truth.map((t) => ({ type: t.type, lane: t.lane, t0: t.tStartMs, t1: t.tEndMs, count: t.count, grams: t.grams })),
        groups,
        issues: issues.map((x) => ({ id: x.id, kind: x.kind, runners: x.runners, lane: x.lane, t0: x.t0Ms, t1: x.t1Ms, z0: x.zoom.t0Ms, z1: x.zoom.t1Ms })),
      },
    };
  });
}
