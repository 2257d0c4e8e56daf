import type { TruthEvent } from "./trace/truth.ts";

/** An event as the firmware published it; the fields scoring reads. */
export interface DetectedEvent {
  type: string;
  lane: string;
  t_ms: number;
  grams?: number | null;
  count?: number | null;
  [key: string]: unknown;
}

export interface Score {
  detected: number;
  truth: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  count_accuracy: number | null;
  grams_mae: number | null;
  /** Truth events with no detection, and detections with no truth: what a report highlights. */
  misses: TruthEvent[];
  phantoms: DetectedEvent[];
  wrongCounts: { truth: TruthEvent; detected: DetectedEvent }[];
  /** Every match, truth with the event it matched. */
  pairs: { truth: TruthEvent; detected: DetectedEvent }[];
}

/** The match windows of trace-format.md, in ms around [t_start, t_end]. */
const WINDOW = { shelf: { before: 1000, after: 3000 }, gate: { before: 1500, after: 1500 } } as const;

/**
 * Scores detections against truth by trace-format.md's rule: same type and lane, event time in the
 * window, one to one, earliest first. With nothing detected precision is 1 (no phantoms), with no
 * truth recall is 1, and F1 is 0 when both precision and recall are 0.
 */
export function scoreEvents(kind: "shelf" | "gate", detected: DetectedEvent[], truth: TruthEvent[]): Score {
  const w = WINDOW[kind];
  const det = detected.map((e, i) => ({ e, i })).sort((a, b) => a.e.t_ms - b.e.t_ms || a.i - b.i);
  const tru = truth.map((t, i) => ({ t, i })).sort((a, b) => a.t.tStartMs - b.t.tStartMs || a.i - b.i);
  const used = new Array<boolean>(tru.length).fill(false);
  const pairs: { truth: TruthEvent; detected: DetectedEvent }[] = [];
  const phantoms: DetectedEvent[] = [];
  for (const { e } of det) {
    const k = tru.findIndex(({ t }, j) => !used[j] && t.type === e.type && t.lane === e.lane &&
      e.t_ms >= t.tStartMs - w.before && e.t_ms <= t.tEndMs + w.after);
    if (k < 0) {
      phantoms.push(e);
      continue;
    }
    used[k] = true;
    pairs.push({ truth: tru[k].t, detected: e });
  }
  const matched = pairs.length;
  const precision = detected.length === 0 ? 1 : matched / detected.length;
  const recall = truth.length === 0 ? 1 : matched / truth.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const counted = pairs.filter((p) => p.truth.count !== undefined);
  const weighed = pairs.filter((p) => p.truth.grams !== undefined && typeof p.detected.grams === "number");
  return {
    detected: detected.length,
    truth: truth.length,
    matched,
    precision,
    recall,
    f1,
    count_accuracy: counted.length ? counted.filter((p) => p.detected.count === p.truth.count).length / counted.length : null,
    grams_mae: weighed.length ? weighed.reduce((s, p) => s + Math.abs((p.detected.grams as number) - p.truth.grams!), 0) / weighed.length : null,
    misses: tru.filter((_, j) => !used[j]).map(({ t }) => t),
    phantoms,
    wrongCounts: counted.filter((p) => p.detected.count !== p.truth.count),
    pairs,
  };
}
