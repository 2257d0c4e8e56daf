import type { DoorSpec } from "../gate/door.ts";
import { Emergency } from "../gate/emergency.ts";
import { GateLane } from "../gate/gate-lane.ts";
import { ADMIT_WINDOW_MS, BEAM_SPACING_M, HELD_OPEN_LIMIT_MS } from "../gate/lane-geometry.ts";
import { LaneScript } from "./gate-episodes.ts";
import { renderGate, type GateRender } from "./gate-render.ts";
import { GATE_SCENARIOS, GATE_SCENARIO_NAMES } from "./gate-scenarios.ts";
import { Random } from "./random.ts";

export interface GateOptions {
  seed: number;
  durationS?: number;
}

export interface GateRun {
  lanes: GateLane[];
  emergency: Emergency;
  endMs: number;
}

/** Episodes need this much room before the end: the longest (a held door and its quiet) fits. */
const TAIL_MS = 60_000;

/** Simulates a scenario: each lane in turn plays weighted episodes with rests between, from about 1–3 s in to about a minute before the end. */
export function simulateGate(name: string, opts: GateOptions): GateRun {
  const sc = GATE_SCENARIOS[name];
  if (sc === undefined) throw new Error(`no gate scenario ${JSON.stringify(name)}; scenarios: ${GATE_SCENARIO_NAMES.join(", ")}`);
  const rnd = new Random(opts.seed * 7919 + GATE_SCENARIO_NAMES.indexOf(name) * 104729 + 17);
  let endMs = (opts.durationS ?? sc.defaultS) * 1000;
  const emergency = new Emergency();
  const lanes: GateLane[] = [];
  for (let i = 0; i < sc.lanes; i++) {
    const door: DoorSpec = { openMs: rnd.int(500, 900), closeMs: rnd.int(2000, 3500), closeDelayMs: 300 };
    const lane = new GateLane(`G${i + 1}`, door, emergency);
    const script = new LaneScript(rnd, lane);
    const episodes = sc.episodes[Math.min(i, sc.episodes.length - 1)];
    const total = episodes.reduce((a, [, w]) => a + w, 0);
    lane.runUntil(rnd.int(1000, 3000));
    while (lane.nowMs < endMs - TAIL_MS) {
      let r = rnd.between(0, total);
      const [episode] = episodes.find(([, w]) => (r -= w) < 0) ?? episodes[episodes.length - 1];
      episode(script, emergency);
      script.rest();
    }
    lanes.push(lane);
  }
  for (const lane of lanes) lane.runUntilIdle();
  endMs = Math.max(endMs, ...lanes.map((l) => l.nowMs + 2000));
  for (const lane of lanes) lane.runUntil(endMs);
  return { lanes, emergency, endMs };
}

/** A scenario's trace and truth, from a seed: the same seed gives the same bytes. */
export function generateGate(name: string, opts: GateOptions): GateRender {
  const run = simulateGate(name, opts);
  const sc = GATE_SCENARIOS[name];
  const meta = {
    kind: "gate",
    device: "gate-sim",
    source: `aisle gen gate, scenario ${name}, seed ${opts.seed}`,
    scenario: name,
    beam_spacing_m: BEAM_SPACING_M,
    admit_window_ms: ADMIT_WINDOW_MS,
    held_open_limit_ms: HELD_OPEN_LIMIT_MS,
  };
  return renderGate(run.lanes, run.emergency, run.endMs, sc.flicker, new Random(opts.seed * 7919 + GATE_SCENARIO_NAMES.indexOf(name) * 104729 + 18), meta);
}
