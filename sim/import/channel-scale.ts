import type { SampleSeries } from "./sample-series.ts";

export interface ChannelScale {
  offset: number;
  gPerCount: number;
}

/** Grams a count, finest first. Round values: the calibration record keeps them exactly. */
const LADDER_G = [0.001, 0.002, 0.005];
/** Counts either side of zero a channel may use: the HX711's 8,388,607, less headroom before saturation. */
const HALF_RANGE_COUNTS = 8_000_000;
/** Grams of headroom past what the recording reached, either side. */
const HEADROOM_G = 1000;

/**
 * How a channel of grams maps into the HX711's signed 24 bits, so that the replay can turn grams
 * into counts and the device can turn them back: the finest step of LADDER_G that holds the
 * plate's whole range with headroom, centred on count 0 (recorded weights are not zeroed and may
 * sit anywhere). A 20 kg plate fits at 0.002 g a count; undefined when even 0.005 g does not.
 */
export function scaleFor(s: SampleSeries): ChannelScale | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const v = s.values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return { offset: 0, gPerCount: LADDER_G[0] };
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2 + HEADROOM_G;
  for (const g of LADDER_G) {
    if (half / g <= HALF_RANGE_COUNTS) {
      // Offset is whole counts, as the calibration record stores it.
      return { offset: -Math.round(mid / g), gPerCount: g };
    }
  }
  return undefined;
}

/** The widest span of grams a channel can hold. */
export const MAX_SPAN_G = 2 * (HALF_RANGE_COUNTS * LADDER_G[LADDER_G.length - 1] - HEADROOM_G);
