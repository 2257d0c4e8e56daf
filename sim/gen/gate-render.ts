import { addFlicker, type FlickerRates } from "../gate/beam-flicker.ts";
import type { Emergency } from "../gate/emergency.ts";
import type { GateLane, LaneEvent } from "../gate/gate-lane.ts";
import type { Random } from "./random.ts";
import { traceText } from "./trace-writer.ts";

export interface GateRender {
  trace: string;
  truth: string;
  /** Truth lines, and of those the bodies that crossed (entry, exit, tailgate, wrong_way). */
  events: number;
  passages: number;
  truthEvents: (LaneEvent & { lane: string })[];
}

const PASSAGES = ["entry", "exit", "tailgate", "wrong_way"];

/**
 * Writes simulated lanes as a gate trace (trace-format.md: sample-and-hold, a row only where
 * something changes, the admit cell holding the token at its instant) and their truth as JSON
 * lines. Flicker goes onto the beams here, after the simulation: it changes what the beams
 * report, never what happened.
 */
export function renderGate(lanes: GateLane[], emergency: Emergency, endMs: number, flicker: FlickerRates, rnd: Random, meta: Record<string, unknown>): GateRender {
  const columns: string[] = [];
  const cells: { tMs: number; col: number; value: string }[] = [];
  const add = (col: number, list: { tMs: number; level: number }[]) => list.forEach((c) => cells.push({ tMs: c.tMs, col, value: String(c.level) }));
  lanes.forEach((lane) => {
    const c = columns.length;
    columns.push(`${lane.id}.beam_outer`, `${lane.id}.beam_inner`, `${lane.id}.door_closed`, `${lane.id}.admit`);
    add(c, addFlicker(lane.outer, endMs, flicker, rnd));
    add(c + 1, addFlicker(lane.inner, endMs, flicker, rnd));
    add(c + 2, lane.doorClosed);
    lane.admits.forEach((a) => cells.push({ tMs: a.tMs, col: c + 3, value: a.token }));
  });
  const em = columns.length;
  columns.push("emergency");
  for (const i of emergency.intervals) cells.push({ tMs: i.startMs, col: em, value: "1" }, { tMs: i.endMs, col: em, value: "0" });
  cells.sort((a, b) => a.tMs - b.tMs || a.col - b.col);
  const first: (string | number)[] = [0, ...columns.map((name) => (name.endsWith(".door_closed") ? 1 : name.endsWith(".admit") ? "" : 0))];
  const rows: (string | number)[][] = [first];
  for (const c of cells) {
    let row = rows.at(-1)!;
    if (row[0] !== c.tMs) rows.push((row = [c.tMs, ...columns.map(() => "")]));
    if (row[c.col + 1] !== "" && row !== first) throw new Error(`two values for ${columns[c.col]} at ${c.tMs} ms`);
    row[c.col + 1] = c.value;
  }
  if ((rows.at(-1)![0] as number) < endMs) rows.push([endMs, ...columns.map(() => "")]);
  const truthEvents = lanes.flatMap((lane) => lane.finish().map((e) => ({ ...e, lane: lane.id }))).sort((a, b) => a.tMs - b.tMs);
  const truth = truthEvents.map((e) => JSON.stringify({ type: e.type, lane: e.lane, t_ms: e.tMs })).join("\n") + (truthEvents.length ? "\n" : "");
  return { trace: traceText(meta, columns, rows), truth, events: truthEvents.length, passages: truthEvents.filter((e) => PASSAGES.includes(e.type)).length, truthEvents };
}
