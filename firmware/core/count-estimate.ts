/*
 * What a lane reports once its episode is attributed. count is the whole number of items the
 * attribution gave it; confidence says how well whole items explained the weight (1 exactly, 0
 * half an item off). A change that whole items do not explain is still reported when it is too
 * big to be leakage or a touch (a misplaced item, a spill): with the nearest count, at least 1,
 * and a low confidence for the back office to review. A change under MIN_STEP_G, or under
 * MIN_SHARE of an item, is no event.
 */
import { leakBound } from "./episode";

export const MIN_STEP_G = 10;
const MIN_SHARE = 0.3;

export interface CountEstimate {
  /** Whole items, or -1 where the lane has no unit weight. */
  count: number;
  confidence: number;
}

/** otherMovedG: what the episode's other lanes moved, which bounds what leaked onto this one. */
export function laneVerdict(grams: number, unitG: number, count: number, otherMovedG: number, episodeConfidence: number): CountEstimate | undefined {
  const size = Math.abs(grams);
  if (size < MIN_STEP_G) {
    return undefined;
  }
  // Whole items that explain the episode's exact sum are believed, leakage or not.
  if (unitG > 0 && count !== 0) {
    return { count: Math.abs(count), confidence: episodeConfidence };
  }
  const leak = otherMovedG > 0 ? leakBound(otherMovedG) : 0;
  if (size <= leak) {
    return undefined;
  }
  if (unitG <= 0) {
    return { count: -1, confidence: 1 };
  }
  if (size < MIN_SHARE * unitG) {
    return undefined;
  }
  return { count: 1, confidence: Math.max(0, 1 - 2 * Math.abs(size / unitG - 1)) };
}
