import { existsSync, readFileSync } from "node:fs";
import { TraceError } from "./trace-types.ts";

/** One thing that really happened, as NAME.truth.jsonl says (trace-format.md, "Ground truth"). */
export interface TruthEvent {
  type: string;
  lane: string;
  /** Shelf: t_start_ms/t_end_ms; gate: both equal t_ms. */
  tStartMs: number;
  tEndMs: number;
  grams?: number;
  count?: number;
  sku?: string;
}

const SHELF_TYPES = ["pick", "put"];
const GATE_TYPES = ["entry", "exit", "tailgate", "wrong_way", "forced", "held_open"];

export function truthPathFor(tracePath: string): string {
  return tracePath.replace(/\.trace\.[a-z0-9]+$/i, "").replace(/\.csv$/i, "") + ".truth.jsonl";
}

export function parseTruth(text: string, file: string, kind: "shelf" | "gate"): TruthEvent[] {
  const events: TruthEvent[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const fail = (problem: string): never => {
      throw new TraceError(file, i + 1, problem);
    };
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch {
      fail("not a JSON object");
    }
    if (typeof o! !== "object" || o! === null || Array.isArray(o!)) fail("not a JSON object");
    const types = kind === "shelf" ? SHELF_TYPES : GATE_TYPES;
    if (!types.includes(o!.type as string)) fail(`type must be one of ${types.join(", ")} for a ${kind} trace, not ${JSON.stringify(o!.type)}`);
    if (typeof o!.lane !== "string" || o!.lane === "") fail("lane must be a non-empty string");
    const num = (key: string, required: boolean): number | undefined => {
      const v = o![key];
      if (v === undefined || v === null) {
        if (required) fail(`${key} is required`);
        return undefined;
      }
      if (typeof v !== "number" || !Number.isFinite(v)) fail(`${key} must be a number`);
      return v as number;
    };
    if (kind === "shelf") {
      const start = num("t_start_ms", true)!;
      const end = num("t_end_ms", true)!;
      if (end < start) fail("t_end_ms is before t_start_ms");
      const sku = o!.sku;
      if (sku !== undefined && sku !== null && typeof sku !== "string") fail("sku must be a string");
      events.push({ type: o!.type as string, lane: o!.lane as string, tStartMs: start, tEndMs: end, grams: num("grams", false), count: num("count", false), sku: (sku ?? undefined) as string | undefined });
    } else {
      const t = num("t_ms", true)!;
      events.push({ type: o!.type as string, lane: o!.lane as string, tStartMs: t, tEndMs: t });
    }
  });
  return events;
}

/** The truth beside a trace, or undefined when there is none. */
export function readTruthFor(tracePath: string, kind: "shelf" | "gate", explicit?: string): TruthEvent[] | undefined {
  const file = explicit ?? truthPathFor(tracePath);
  if (!existsSync(file)) {
    if (explicit) throw new TraceError(file, 0, "no such truth file");
    return undefined;
  }
  return parseTruth(readFileSync(file, "utf8"), file, kind);
}
