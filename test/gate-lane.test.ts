import { describe, expect, it } from "vitest";
import { IN, newTracker, trackerBusy, trackerEdge, INNER, OUT, OUTER } from "../firmware/core/crossing-tracker.ts";
import { ADMITTED, IDLE, PASSED, PASSING, RELOCKED, gateTimes } from "../firmware/core/gate-events.ts";
import { laneState } from "../firmware/core/gate-lane.ts";
import { bodyIntervals, parseScript, runScript, runSteps, stepsOf, type Body, type Step } from "./support/gate-script.ts";

/*
 * GateLane, state by state and transition by transition (docs/gate.md). Scripts are "T SIG LEVEL"
 * steps (test/support/gate-script.ts): o/i beams (1 broken), d door_closed (1 closed), e emergency,
 * a an admission, k the caller's clock. Inputs count 50 ms after they change, at the time they changed.
 */

const events = (script: string) => runScript(script).events.map(([type, t]) => `${type}@${t}`);

/** States after each step of a script. */
function states(script: string): number[] {
  const steps = parseScript(script);
  const out: number[] = [];
  for (let n = 1; n <= steps.length; n++) out.push(laneState(runSteps(steps.slice(0, n), undefined, 0).lane));
  return out;
}

/** A body's beam steps: near beam first (outer for "in"). */
function walk(b: Body): Step[] {
  const { near, far } = bodyIntervals(b);
  const [n, f] = b.dir === "in" ? ["o", "i"] as const : ["i", "o"] as const;
  return stepsOf({ [n]: [near], ...(far ? { [f]: [far] } : {}) }, [], []);
}

const ADMITTED_ENTRY = "1000 a 1;1500 d 0;1900 o 1;2260 i 1;2660 o 0;3030 i 0;3960 d 1";

describe("an admitted entry: idle -> admitted -> passing -> passed -> relocked -> idle", () => {
  it("releases the lock on the admission, counts the entry when the body clears the inner beam, and locks once the admission is used", () => {
    const run = runScript(ADMITTED_ENTRY);
    expect(run.events).toEqual([["entry", 3030]]);
    expect(run.locks.map(([l]) => l)).toEqual([true, false, true]);
    // The entry counts at 3030 + 50 ms, taken at the next input (3960).
    expect(run.lockAfter).toEqual([false, false, false, false, false, false, true]);
  });

  it("goes through the states in order, each input counting 50 ms after it changed", () => {
    const s = "0 k 0;1549 k 0;1551 k 0;2100 k 0;3079 k 0;3081 k 0;4009 k 0;4011 k 0;4600 k 0";
    const steps = [...parseScript(ADMITTED_ENTRY), ...parseScript(s)].sort((a, b) => a.t - b.t);
    const seen = steps.map((_, n) => laneState(runSteps(steps.slice(0, n + 1), undefined, 0).lane));
    const at = (t: number) => seen[steps.findIndex((x) => x.t === t && x.sig === "k")];
    expect([at(0), at(1549), at(1551), at(2100), at(3079), at(3081), at(4009), at(4011), at(4600)])
      .toEqual([IDLE, ADMITTED, PASSING, PASSING, PASSING, PASSED, PASSED, RELOCKED, IDLE]);
  });

  it("lets the admission lapse after 10 s unused, and keeps it while a body is in the lane", () => {
    const lapse = runScript("1000 a 1;11049 k 0");
    expect(laneState(lapse.lane)).toBe(IDLE);
    expect(lapse.locks.map(([l, t]) => `${l}@${t}`)).toEqual(["true@0", "false@1000", "true@71049"]);
    expect(states("1000 a 1;11049 k 0;11051 k 0")).toEqual([ADMITTED, ADMITTED, RELOCKED]);
    // Someone stands in the outer beam from 9 s to 12 s: the admission waits, and lapses 1 s after they leave
    // (a short body is between the beams that long at most).
    expect(states("1000 a 1;9000 o 1;11500 k 0;12000 o 0;12049 k 0;13049 k 0;13051 k 0")).toEqual([ADMITTED, ADMITTED, PASSING, PASSING, PASSING, ADMITTED, RELOCKED]);
    expect(events("1000 a 1;9000 o 1;12000 o 0;30000 k 0")).toEqual([]);
  });

  it("lets n admissions in n bodies, and the next is a tailgate until the door shuts", () => {
    const group: Body[] = [0, 1, 2].map((k) => ({ dir: "in", t0: 2000 + k * 700, speedMps: 1.2, lengthM: 0.4 }));
    const steps = [...group.flatMap(walk), ...parseScript("1000 a 1;1100 a 1;1500 d 0;6000 d 1;8000 a 1;8400 d 0"), ...walk({ dir: "in", t0: 9000, speedMps: 1, lengthM: 0.35 }), ...walk({ dir: "in", t0: 9800, speedMps: 1, lengthM: 0.35 }), ...parseScript("12000 d 1")]
      .sort((a, b) => a.t - b.t);
    const ends = group.map((b) => bodyIntervals(b).far![1]);
    expect(runSteps(steps).events).toEqual([["entry", ends[0]], ["entry", ends[1]], ["tailgate", ends[2]], ["entry", 9650], ["tailgate", 10450]]);
  });

  it("counts a child (a gap between the beams) and a cart (both beams at once for long) once each", () => {
    const child = walk({ dir: "in", t0: 2000, speedMps: 0.8, lengthM: 0.15 });
    expect(child.map((s) => `${s.t} ${s.sig}${s.v}`)).toEqual(["2000 o1", "2188 o0", "2375 i1", "2563 i0"]);
    const cart = walk({ dir: "in", t0: 12000, speedMps: 0.9, lengthM: 1.6 });
    const steps = [...parseScript("1000 a 1;1500 d 0;4000 d 1;11000 a 1;11500 d 0;16000 d 1"), ...child, ...cart].sort((a, b) => a.t - b.t);
    expect(runSteps(steps).events).toEqual([["entry", 2563], ["entry", 14111]]);
  });
});

describe("exits: free egress", () => {
  it("counts a body from the store as an exit, the door pushed open before or after it reaches the inner beam, with no forced door", () => {
    expect(events("10000 d 0;10250 i 1;10580 o 1;10850 i 0;11150 o 0;12000 d 1")).toEqual(["exit@11150"]);
    expect(events("10000 i 1;10150 d 0;10300 o 1;10400 i 0;10700 o 0;12000 d 1")).toEqual(["exit@10700"]);
  });

  it("reports a body coming in through a door opened for an exit as wrong way", () => {
    const steps = [...parseScript("10000 i 1;10150 d 0;14000 d 1"), ...walk({ dir: "out", t0: 10000, speedMps: 1, lengthM: 0.4 }).slice(1), ...walk({ dir: "in", t0: 11500, speedMps: 1, lengthM: 0.4 })].sort((a, b) => a.t - b.t);
    expect(runSteps(steps).events).toEqual([["exit", 10700], ["wrong_way", 12200]]);
  });
});

describe("an admission waiting while someone leaves", () => {
  it("counts the body leaving as an exit, and still lets the next body in", () => {
    const steps = [...parseScript("1000 a 1;1500 i 1;1650 d 0;6000 d 1"), ...walk({ dir: "out", t0: 1500, speedMps: 1, lengthM: 0.4 }).slice(1), ...walk({ dir: "in", t0: 3500, speedMps: 1, lengthM: 0.4 })].sort((a, b) => a.t - b.t);
    expect(runSteps(steps).events).toEqual([["exit", 2200], ["entry", 4200]]);
  });
});

describe("a door that opens while locked", () => {
  it("is forced when the first body at a beam is on the street side, at the instant the door opened; the body is wrong way", () => {
    expect(events("2000 o 1;2600 d 0;2700 i 1;2900 o 0;3000 i 0;5000 d 1")).toEqual(["forced@2600", "wrong_way@3000"]);
    expect(events("2600 d 0;3000 o 1;3300 i 1;3500 o 0;3800 i 0;5000 d 1")).toEqual(["forced@2600", "wrong_way@3800"]);
  });

  it("is a lock fault when nobody comes to either beam: at once if the door shuts, else after 2 s, or at once just after a relock", () => {
    expect(events("5000 d 0;5400 d 1")).toEqual(["lock_fault@5000"]);
    expect(events("5000 d 0;9000 d 1")).toEqual(["lock_fault@5000"]);
    expect(runSteps(parseScript("5000 d 0;7049 k 0"), undefined, 0).events).toEqual([]);
    expect(runSteps(parseScript("5000 d 0;7051 k 0"), undefined, 0).events).toEqual([["lock_fault", 5000]]);
    expect(events(`${ADMITTED_ENTRY};4300 d 0;4400 d 1`)).toEqual(["entry@3030", "lock_fault@4300"]);
  });

  it("is explained by an admission that comes within the 2 s, and not judged while the emergency input is active", () => {
    expect(events("5000 d 0;5300 a 1;5500 o 1;5800 i 1;6000 o 0;6300 i 0;7000 d 1")).toEqual(["entry@6300"]);
    expect(events("4000 e 1;5000 d 0;5400 d 1;6000 e 0")).toEqual(["emergency@4000"]);
  });
});

describe("a door held open", () => {
  it("is reported once, 15 s after it opened", () => {
    expect(events(`${ADMITTED_ENTRY.replace(";3960 d 1", "")};40000 d 1`)).toEqual(["entry@3030", "held_open@16500"]);
    expect(events("1000 a 1;1500 d 0;16449 d 1")).toEqual([]);
  });

  it("is not while the emergency input is active: the 15 s count again from its end", () => {
    expect(events("1000 a 1;1500 d 0;10000 e 1;20000 e 0;40000 d 1")).toEqual(["emergency@10000", "held_open@35000"]);
  });
});

describe("the emergency input", () => {
  it("releases the lock the moment it arrives, in every state, reports once it has held 50 ms, and locks again 50 ms after it clears", () => {
    for (const before of ["", "1000 a 1", "1000 a 1;1500 d 0", "1000 a 1;1500 d 0;1900 o 1", ADMITTED_ENTRY, "1000 o 1;1100 d 0"]) {
      const script = `${before}${before ? ";" : ""}8000 e 1;8030 k 0;20000 e 0;20049 k 0`;
      const run = runScript(script);
      const n = parseScript(script).length;
      expect(run.lockAfter.slice(n - 4), before).toEqual([false, false, false, false]);
      expect(run.events.filter(([type]) => type === "emergency"), before).toEqual([["emergency", 8000]]);
    }
    const after = runScript("8000 e 1;20000 e 0;20051 k 0");
    expect(after.lockAfter.at(-1)).toBe(true);
    expect(laneState(after.lane)).toBe(IDLE);
  });

  it("ignores a blip shorter than 50 ms for events, and still counts the passages made while it is active (the door opened for the admission: the third body is a tailgate)", () => {
    expect(events("8000 e 1;8030 e 0;9000 k 0")).toEqual([]);
    const steps = [...parseScript("1000 a 1;1500 d 0;2100 e 1;9000 d 1;9500 e 0"), ...walk({ dir: "in", t0: 2000, speedMps: 1, lengthM: 0.4 }), ...walk({ dir: "out", t0: 4000, speedMps: 1, lengthM: 0.4 }), ...walk({ dir: "in", t0: 6000, speedMps: 1, lengthM: 0.4 })]
      .sort((a, b) => a.t - b.t);
    expect(runSteps(steps).events).toEqual([["emergency", 2100], ["entry", 2700], ["exit", 4700], ["tailgate", 6700]]);
  });
});

describe("flicker and loitering", () => {
  it("ignores beams, door and emergency changing for less than 50 ms", () => {
    expect(events("1000 o 1;1040 o 0;2000 i 1;2049 i 0;3000 d 0;3020 d 1;4000 e 1;4010 e 0;9000 k 0")).toEqual([]);
    // A break with clear blips in it is one interval.
    expect(events("1000 a 1;1500 d 0;2000 o 1;2100 o 0;2130 o 1;2300 i 1;2500 o 0;2520 o 1;2545 o 0;2700 i 0;2720 i 1;2740 i 0;4000 d 1")).toEqual(["entry@2740"]);
  });

  it("counts a body loitering in a beam once, and a body that turns back after breaking both beams not at all", () => {
    expect(events("1000 a 1;2000 o 1;21000 d 0;22000 i 1;22300 o 0;22600 i 0;24000 d 1")).toEqual(["entry@22600"]);
    expect(events("1000 i 1;3000 i 0;3500 i 1;6000 i 0;6100 i 1;9000 i 0")).toEqual([]);
    const back = walk({ dir: "in", t0: 2000, speedMps: 1, lengthM: 0.45, backAtM: 0.4 });
    expect(back.map((s) => `${s.t} ${s.sig}${s.v}`)).toEqual(["2000 o1", "2300 i1", "2500 i0", "2800 o0"]);
    expect(runSteps([...parseScript("1000 a 1;1500 d 0;5000 d 1"), ...back].sort((a, b) => a.t - b.t)).events).toEqual([]);
  });
});

describe("CrossingTracker", () => {
  it("pairs each beam's interval with the one the other beam left before it", () => {
    const t = newTracker();
    const edge = (b: number, on: boolean, ms: number) => trackerEdge(t, b, on, ms, gateTimes().maxGapMs);
    const seq: [number, boolean, number][] = [[OUTER, true, 0], [INNER, true, 300], [OUTER, false, 500], [INNER, false, 800], [INNER, true, 5000], [OUTER, true, 5300], [INNER, false, 5500], [OUTER, false, 5800]];
    expect(seq.map(([b, on, ms]) => edge(b, on, ms))).toEqual([0, 0, 0, IN, 0, 0, 0, OUT]);
    // A gap between the beams longer than maxGapMs is two bodies that each turned back.
    expect([edge(OUTER, true, 9000), edge(OUTER, false, 9200), edge(INNER, true, 10201), edge(INNER, false, 10400)]).toEqual([0, 0, 0, 0]);
    expect(trackerBusy(t)).toBe(false);
  });
});
