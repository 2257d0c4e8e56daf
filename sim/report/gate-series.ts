import type { GateTrace } from "../trace/trace-types.ts";
import type { GateLaneSeries, StepSignal, TraceSeries } from "./series-types.ts";

/*
 * Raised means "something is happening" on every row of the timeline, so the door is drawn as
 * door_open (the trace's door_closed inverted).
 */
const SHOWN: Record<string, { name: string; invert: boolean }> = {
  beam_outer: { name: "beam_outer", invert: false },
  beam_inner: { name: "beam_inner", invert: false },
  door_closed: { name: "door_open", invert: true },
  emergency: { name: "emergency", invert: false },
};

/**
 * Each gate lane's timeline from a gate trace: its held signals as steps (the trace-wide
 * emergency input on every lane) and its admissions. Gate traces hold a row per change, so
 * the steps are the trace's own changes, not a sampling of them.
 */
export function gateSeries(trace: GateTrace): TraceSeries {
  const signalOf = trace.columns.map((col, c): StepSignal | undefined => {
    const shown = SHOWN[col.signal];
    if (shown === undefined) return undefined;
    const v0 = trace.initial[c];
    return { name: shown.name, tMs: [0], v: [shown.invert ? 1 - v0 : v0] };
  });
  const lanes: GateLaneSeries[] = trace.lanes.map((lane) => ({ lane, signals: [], admitsMs: [] }));
  for (const ch of trace.changes) {
    const col = trace.columns[ch.column];
    const tMs = ch.tUs / 1000;
    if (col.signal === "admit") {
      if (col.lane >= 0) lanes[col.lane].admitsMs.push(tMs);
      continue;
    }
    const s = signalOf[ch.column];
    if (s === undefined) continue;
    const v = SHOWN[col.signal].invert ? 1 - (ch.value as number) : (ch.value as number);
    if (s.tMs[s.tMs.length - 1] === tMs) s.v[s.v.length - 1] = v;
    else {
      s.tMs.push(tMs);
      s.v.push(v);
    }
  }
  const order = ["beam_outer", "beam_inner", "door_closed", "emergency"];
  const cols = trace.columns.map((col, c) => ({ col, c })).sort((a, b) => order.indexOf(a.col.signal) - order.indexOf(b.col.signal));
  for (const { col, c } of cols) {
    const s = signalOf[c];
    if (s === undefined) continue;
    if (col.lane >= 0) lanes[col.lane].signals.push(s);
    else for (const l of lanes) l.signals.push(s);
  }
  return { kind: "gate", endMs: trace.endUs / 1000, samples: trace.sampleCount, lanes };
}
