/*
 * The end of an episode (shelf-pipeline.ts): its settled lanes attributed together, and each
 * one's event published. An episode ends a few times a minute at most, so on NodeMCU the pipeline
 * imports this lazily (tools/build/lua-modules.ts): the attribution's code holds Lua heap only
 * while an episode is resolved.
 */
import { laneVerdict } from "./count-estimate";
import { attribute, type EpisodeLane } from "./episode";
import { Lane, laneActive, laneLevelG } from "./lane-detector";
import type { LaneConfig } from "./shelf-config";
import type { ShelfEvent } from "./shelf-event";

/** Below this confidence (a quarter of an item off), an episode may wait for more (shelf-pipeline.ts's HOLD_MS). */
const HOLD_BELOW = 0.5;

/**
 * Attributes the episode's settled lanes together and publishes what each one moved; seq is the
 * pipeline's last event's, and the last one published comes back. With mayHold, an episode whose
 * counts fit badly publishes nothing and changes nothing, and -1 comes back.
 */
export function resolveEpisode(lanes: number[][], config: LaneConfig[], tMs: number, mayHold: boolean, seq: number, onEvent: (e: ShelfEvent) => void): number {
  const members: number[] = [];
  const parts: EpisodeLane[] = [];
  let moved = 0;
  for (let i = 0; i < lanes.length; i++) {
    const d = lanes[i];
    if (d[Lane.IN_EPISODE] === 1 && !laneActive(d)) {
      members.push(i);
      parts.push({ unitG: config[i].unitG, grams: d[Lane.NET_G], place: i });
      moved = moved + Math.abs(d[Lane.NET_G]);
    }
  }
  const events = members.length;
  // Quiet lanes join with what leaked onto them, so the sum stays exact; they publish nothing.
  for (let i = 0; i < lanes.length; i++) {
    const d = lanes[i];
    const level = laneLevelG(d);
    if (d[Lane.IN_EPISODE] === 0 && !laneActive(d) && !isNaN(level) && !isNaN(d[Lane.LEVEL_AT_OPEN])) {
      members.push(i);
      parts.push({ unitG: 0, grams: level - d[Lane.LEVEL_AT_OPEN], place: i });
    }
  }
  const a = attribute(parts);
  if (mayHold && a.confidence < HOLD_BELOW) {
    return -1;
  }
  let last = seq;
  for (let k = 0; k < events; k++) {
    const d = lanes[members[k]];
    const lane = config[members[k]];
    d[Lane.IN_EPISODE] = 0;
    const verdict = laneVerdict(a.grams[k], lane.unitG, a.counts[k], moved - Math.abs(parts[k].grams), a.confidence);
    if (verdict !== undefined) {
      last++;
      onEvent({
        type: a.grams[k] < 0 ? "pick" : "put",
        lane: lane.id,
        tMs: tMs,
        tStartMs: d[Lane.SINCE_MS],
        grams: a.grams[k],
        count: verdict.count,
        confidence: verdict.confidence,
        sku: lane.sku,
        seq: last,
      });
    }
    d[Lane.NET_G] = 0;
  }
  return last;
}
