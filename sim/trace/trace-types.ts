/** A trace as the simulator holds it: trace-format.md, version 1, read and checked. */

export interface TraceChannel {
  id: string;
  offset: number;
  gramsPerCount: number;
}

export interface TraceLane {
  id: string;
  /** Indexes into channels. */
  channels: number[];
  sku?: string;
  unitG?: number;
}

export interface ChannelSamples {
  /** Sample times in µs since the trace began (t_ms × 1000, rounded). */
  tUs: number[];
  /** Raw signed 24-bit counts, whatever the trace's unit was. */
  counts: number[];
}

export interface ShelfTrace {
  kind: "shelf";
  file: string;
  meta: Record<string, unknown>;
  device?: string;
  rateHz: number;
  unit: "counts" | "grams";
  /** In header order, which is the order cells are wired on the virtual board. */
  channels: TraceChannel[];
  lanes: TraceLane[];
  samples: ChannelSamples[];
  sampleCount: number;
  endUs: number;
}

export const GATE_SIGNALS = ["beam_outer", "beam_inner", "door_closed", "admit"] as const;
export type GateSignal = (typeof GATE_SIGNALS)[number] | "emergency";

export interface GateColumn {
  /** Lane index into GateTrace.lanes; -1 for the emergency input. */
  lane: number;
  signal: GateSignal;
}

export interface GateChange {
  tUs: number;
  column: number;
  /** 0/1 for held signals; the credential token for admit. */
  value: number | string;
}

export interface GateTrace {
  kind: "gate";
  file: string;
  meta: Record<string, unknown>;
  device?: string;
  lanes: string[];
  columns: GateColumn[];
  /** The value of every held signal at t = 0 (first data row, missing cells meaning 0). */
  initial: number[];
  changes: GateChange[];
  sampleCount: number;
  endUs: number;
}

export type Trace = ShelfTrace | GateTrace;

export class TraceError extends Error {
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(line > 0 ? `${file}:${line}: ${problem}` : `${file}: ${problem}`);
    this.name = "TraceError";
  }
}
