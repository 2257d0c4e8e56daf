/*
 * What the HTML report draws of a trace: small enough to embed, whatever the trace's length.
 * Times are in ms since the trace began.
 */

/** One shelf lane's weight (the sum of its channels, in grams), downsampled. */
export interface ShelfLaneSeries {
  lane: string;
  sku?: string;
  unitG?: number;
  tMs: number[];
  grams: number[];
}

/**
 * A held 0/1 signal as steps: `v[i]` holds from `tMs[i]` until the next change. `tMs[0]` is 0 (the
 * value the trace starts with). A lock series, when the replay has one, is one more of these.
 */
export interface StepSignal {
  name: string;
  tMs: number[];
  v: number[];
}

/** One gate lane's timeline: its beams and door, any more signals (lock, emergency), and admissions. */
export interface GateLaneSeries {
  lane: string;
  signals: StepSignal[];
  admitsMs: number[];
}

export type TraceSeries =
  | { kind: "shelf"; endMs: number; samples: number; lanes: ShelfLaneSeries[] }
  | { kind: "gate"; endMs: number; samples: number; lanes: GateLaneSeries[] };
