import { INNER, OUTER } from "../../firmware/core/crossing-tracker.ts";
import { gateTimes, type GateTimes } from "../../firmware/core/gate-events.ts";
import { DOOR_CLOSED, EMERGENCY, laneAdmit, laneAdvance, laneInput, newGateLane, type GateLane } from "../../firmware/core/gate-lane.ts";

/*
 * Gate lane inputs for tests: scripts of timed input changes, bodies walking the lane turned into
 * beam intervals, and a runner that feeds a script to GateLane and records what it does.
 * A script is text, "T SIG LEVEL" steps separated by ";" (SIG: o outer beam, i inner beam,
 * d door_closed, e emergency, a admission, k the caller's clock), so the Lua fixture reads the same.
 */

export type Sig = "o" | "i" | "d" | "e" | "a" | "k";
export interface Step {
  t: number;
  sig: Sig;
  v: number;
}

/** Beam spacing, as in the sim's lane (sim/gate/lane-geometry.ts). */
export const SPACING_M = 0.3;

export const SIGNAL: Record<Exclude<Sig, "a" | "k">, number> = { o: OUTER, i: INNER, d: DOOR_CLOSED, e: EMERGENCY };

export function scriptText(steps: Step[]): string {
  return steps.map((s) => `${s.t} ${s.sig} ${s.v}`).join(";");
}

export function parseScript(text: string): Step[] {
  return text.split(";").filter((s) => s.trim() !== "").map((s) => {
    const [t, sig, v] = s.trim().split(/\s+/);
    if (!"oideak".includes(sig) || sig.length !== 1) throw new Error(`bad step ${JSON.stringify(s)}`);
    return { t: Number(t), sig: sig as Sig, v: Number(v ?? 0) };
  });
}

export interface Run {
  events: [string, number][];
  /** Every lock command with the script time it was given at. */
  locks: [boolean, number][];
  lane: GateLane;
  /** After each step: the lock command then. */
  lockAfter: boolean[];
}

/** Feeds steps (in time order) to a fresh lane, then lets its clock run tailMs past the last. */
export function runSteps(steps: Step[], times: GateTimes = gateTimes(), tailMs = 60_000): Run {
  const events: [string, number][] = [];
  const locks: [boolean, number][] = [];
  const lockAfter: boolean[] = [];
  let now = 0;
  let locked = true;
  const lane = newGateLane(times, {
    event: (type, t) => events.push([type, t]),
    lock: (l) => {
      locked = l;
      locks.push([l, now]);
    },
    admitted: () => {},
  });
  for (const s of steps) {
    now = s.t;
    if (s.sig === "a") laneAdmit(lane, s.t);
    else if (s.sig === "k") laneAdvance(lane, s.t);
    else laneInput(lane, SIGNAL[s.sig], s.v === 1, s.t);
    lockAfter.push(locked);
  }
  now = (steps.at(-1)?.t ?? 0) + tailMs;
  laneAdvance(lane, now);
  return { events, locks, lane, lockAfter };
}

export const runScript = (text: string, times?: GateTimes) => runSteps(parseScript(text), times);

/** A body walking a lane: the beam it meets first, when its front reaches that beam, its speed and depth. */
export interface Body {
  dir: "in" | "out";
  t0: number;
  speedMps: number;
  lengthM: number;
  /** Stands still for ms once its front is atM past its near beam, then walks on. */
  stop?: { atM: number; ms: number };
  /** Turns back once its front is atM past its near beam (atM < lengthM: its back never passed that beam). */
  backAtM?: number;
}

/** The intervals [start, end] a body breaks each beam for, in ms, rounded: near beam first. */
export function bodyIntervals(b: Body): { near: [number, number]; far?: [number, number] } {
  const perM = 1000 / b.speedMps;
  const at = (q: number) => b.t0 + q * perM + (b.stop && q > b.stop.atM ? b.stop.ms : 0);
  if (b.backAtM !== undefined) {
    const turn = at(b.backAtM);
    const near: [number, number] = [Math.round(at(0)), Math.round(turn + b.backAtM * perM)];
    if (b.backAtM <= SPACING_M) return { near };
    return { near, far: [Math.round(at(SPACING_M)), Math.round(turn + (b.backAtM - SPACING_M) * perM)] };
  }
  return { near: [Math.round(at(0)), Math.round(at(b.lengthM))], far: [Math.round(at(SPACING_M)), Math.round(at(SPACING_M + b.lengthM))] };
}

/** Whether the body crosses both beams. */
export const crosses = (b: Body) => b.backAtM === undefined;

/**
 * Steps for a set of signals given as intervals when each is "on" (beams broken, door open,
 * emergency active) plus flicker pulses that invert a signal for a moment; admissions and clock
 * ticks as they are. Overlapping intervals of one signal must not occur.
 */
export function stepsOf(on: Partial<Record<"o" | "i" | "d" | "e", [number, number][]>>, flicker: { sig: "o" | "i" | "d" | "e"; t: number; ms: number }[], extra: Step[]): Step[] {
  const out: Step[] = [...extra];
  for (const sig of ["o", "i", "d", "e"] as const) {
    const toggles = new Map<number, number>();
    const flip = (t: number) => toggles.set(t, (toggles.get(t) ?? 0) + 1);
    for (const [s, e] of on[sig] ?? []) {
      flip(s);
      flip(e);
    }
    for (const f of flicker) if (f.sig === sig) {
      flip(f.t);
      flip(f.t + f.ms);
    }
    // The door input reads 1 for closed: its "on" (open) is level 0.
    let level = sig === "d" ? 1 : 0;
    for (const t of [...toggles.keys()].sort((a, b) => a - b)) {
      if (toggles.get(t)! % 2 === 0) continue;
      level = 1 - level;
      out.push({ t, sig, v: level });
    }
  }
  // In time order; at one instant, beams before the door, admissions and ticks last.
  const rank: Record<Sig, number> = { o: 0, i: 1, d: 2, e: 3, a: 4, k: 5 };
  return out.sort((a, b) => a.t - b.t || rank[a.sig] - rank[b.sig]);
}
