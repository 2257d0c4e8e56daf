import { formatFixed, formatInt, jsonString } from "./format";
import { round } from "./math";

/** A pick or put on one lane; the payload the shelf publishes. */
export interface ShelfEvent {
  type: string;
  lane: string;
  tMs: number;
  tStartMs: number;
  grams: number;
  /** Whole items moved; -1 where the lane has no unit weight. */
  count: number;
  /** 1 when the change is a whole number of items, falling to 0 half an item away. */
  confidence: number;
  sku: string;
  seq: number;
}

export function shelfEventJson(e: ShelfEvent): string {
  let out = "{\"type\":" + jsonString(e.type) + ",\"lane\":" + jsonString(e.lane) +
    ",\"t_ms\":" + formatInt(round(e.tMs)) + ",\"grams\":" + formatFixed(e.grams, 2) +
    ",\"count\":" + (e.count < 0 ? "null" : formatInt(e.count)) +
    ",\"t_start_ms\":" + formatInt(round(e.tStartMs)) + ",\"confidence\":" + formatFixed(e.confidence, 2);
  if (e.sku.length > 0) {
    out = out + ",\"sku\":" + jsonString(e.sku);
  }
  return out + ",\"seq\":" + formatInt(e.seq) + "}";
}
