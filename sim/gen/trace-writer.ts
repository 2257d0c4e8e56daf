import type { TruthEvent } from "../trace/truth.ts";

/** Writes trace format 1: the magic line, one JSON value per metadata key, the header, the rows. */
export function traceText(meta: Record<string, unknown>, columns: string[], rows: (string | number)[][]): string {
  const out = ["# aisle-trace 1"];
  for (const [k, v] of Object.entries(meta)) out.push(`# ${k}: ${JSON.stringify(v)}`);
  out.push(["t_ms", ...columns].join(","));
  for (const r of rows) out.push(r.join(","));
  return out.join("\n") + "\n";
}

export function shelfTruthText(events: TruthEvent[]): string {
  return events.map((e) => JSON.stringify({ type: e.type, lane: e.lane, t_start_ms: e.tStartMs, t_end_ms: e.tEndMs, grams: e.grams, count: e.count, sku: e.sku })).join("\n") + "\n";
}

export function gateTruthText(events: TruthEvent[]): string {
  return events.map((e) => JSON.stringify({ type: e.type, lane: e.lane, t_ms: e.tStartMs })).join("\n") + "\n";
}
