/*
 * Items from a weight change. count = round(|ΔW| / unit_g); confidence is 1 when ΔW is a whole
 * number of items and falls linearly to 0 half an item away. A change that is not near a whole
 * count is still reported (the weight did change: a misplaced item, a spill) with its nearest
 * count, at least 1, and a low confidence for the back office to review. A change smaller than
 * MIN_STEP_G, or than MIN_SHARE of an item, is no event: a touch, a crumb, a settling plate.
 */

export const MIN_STEP_G = 10;
const MIN_SHARE = 0.3;

export interface CountEstimate {
  /** Whole items, or -1 where the lane has no unit weight. */
  count: number;
  confidence: number;
}

export function isEvent(grams: number, unitG: number): boolean {
  const size = Math.abs(grams);
  return size >= MIN_STEP_G && (unitG <= 0 || size >= MIN_SHARE * unitG);
}

export function countFor(grams: number, unitG: number): CountEstimate {
  if (unitG <= 0) {
    return { count: -1, confidence: 1 };
  }
  const ratio = Math.abs(grams) / unitG;
  const count = Math.max(1, Math.round(ratio));
  const off = Math.abs(ratio - count);
  return { count: count, confidence: Math.max(0, 1 - 2 * off) };
}
