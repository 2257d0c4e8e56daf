import { faultName } from "./cell-filter";
import { formatInt, jsonString } from "./format";
import type { HealthEvent } from "./shelf-pipeline";
import { round } from "./math";

/** A fault starting or clearing on one cell, with how often that fault has happened since boot. */
export function healthEventJson(h: HealthEvent): string {
  return "{\"type\":\"fault\",\"cell\":" + formatInt(h.cell) + ",\"fault\":" + jsonString(faultName(h.fault)) +
    ",\"active\":" + (h.active ? "true" : "false") + ",\"count\":" + formatInt(h.count) + ",\"t_ms\":" + formatInt(round(h.tMs)) + "}";
}
