import { describe, expect, it } from "vitest";
import { Random } from "../sim/gen/random.ts";
import { addFlicker, FLICKER_CLEARANCE_MS, FLICKER_MAX_MS, withoutPulses } from "../sim/gate/beam-flicker.ts";
import { Body, type BodySpec } from "../sim/gate/body.ts";
import { Door } from "../sim/gate/door.ts";
import { Emergency } from "../sim/gate/emergency.ts";
import { GateLane, type LevelChange } from "../sim/gate/gate-lane.ts";
import { ADMIT_WINDOW_MS, OUTER_X_M } from "../sim/gate/lane-geometry.ts";

const DOOR = { openMs: 600, closeMs: 2500, closeDelayMs: 300 };
const adult = (dir: "in" | "out", extra: Partial<BodySpec> = {}): BodySpec => ({ kind: "adult", lengthM: 0.4, speedMps: 1.2, dir, pushMs: 200, ...extra });
const lane = (emergency = new Emergency()) => new GateLane("G1", DOOR, emergency);
const events = (l: GateLane) => l.finish().map((e) => `${e.type}@${e.tMs}`);
/** [break, clear] pairs of a beam's levels. */
const breaks = (changes: LevelChange[]) => changes.flatMap((c, i) => (c.level === 1 ? [[c.tMs, changes[i + 1]?.tMs ?? Infinity]] : []));

describe("a body in a beam", () => {
  it.each([
    ["adult", 0.4, 1.2],
    ["child", 0.15, 1.5],
    ["cart", 1.6, 0.8],
  ])("a %s of %f m at %f m/s breaks a beam it walks through for L / v", (kind, lengthM, speedMps) => {
    const b = new Body(0, { kind: kind as BodySpec["kind"], lengthM, speedMps, dir: "in" }, 0);
    const broken: number[] = [];
    for (let t = 0; t < 6000 && b.state !== "gone"; t++) {
      b.advance(t, 1, Infinity);
      if (b.covers(OUTER_X_M)) broken.push(t);
    }
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.at(-1)! - broken[0] + 1).toBeGreaterThanOrEqual(Math.round((lengthM / speedMps) * 1000) - 1);
    expect(broken.at(-1)! - broken[0] + 1).toBeLessThanOrEqual(Math.round((lengthM / speedMps) * 1000) + 1);
    expect(broken.at(-1)! - broken[0] + 1).toBe(broken.length);
  });

  it("breaks the far beam for L / v in a lane, and the near beam longer while it waits for the door", () => {
    const l = lane();
    l.add(1000, adult("out"));
    l.runUntilIdle();
    const [inner] = breaks(l.inner);
    const [outer] = breaks(l.outer);
    expect(Math.abs(outer[1] - outer[0] - (0.4 / 1.2) * 1000)).toBeLessThanOrEqual(1);
    expect(inner[1] - inner[0]).toBeGreaterThan(333 + 200);
    expect(inner[0]).toBeLessThan(outer[0]);
    expect(events(l)).toEqual([`exit@${outer[1]}`]);
  });
});

describe("the door", () => {
  it("takes openMs to open and closeDelayMs + closeMs to close, and reads closed only when fully shut", () => {
    const d = new Door(DOOR);
    const seen: string[] = [];
    let t = 0;
    for (; t < 600; t++) seen.push(d.step(t, true) ?? "");
    expect(seen[0]).toBe("opened");
    expect(d.position).toBeCloseTo(1, 9);
    for (; t < 600 + 300 + 2499; t++) {
      expect(d.step(t, false)).toBeUndefined();
      expect(d.closed).toBe(false);
    }
    expect(d.position).toBeLessThan(0.01);
    for (; t < 600 + 300 + 2502 && !d.closed; t++) d.step(t, false);
    expect(d.closed).toBe(true);
    expect(t).toBeGreaterThanOrEqual(600 + 300 + 2499);
  });
});

describe("the lock", () => {
  it("keeps a latched door shut against a push with no admission: the body waits, gives up, and nothing happens", () => {
    const l = lane();
    l.add(1000, adult("in", { patienceMs: 2500 }));
    l.runUntilIdle();
    expect(l.doorClosed).toEqual([]);
    expect(events(l)).toEqual([]);
    const [outer] = breaks(l.outer);
    expect(outer[1] - outer[0]).toBeGreaterThan(2500);
    expect(l.inner).toEqual([]);
  });

  it("lets an admitted body push the door open, and counts one entry when it clears the inner beam", () => {
    const l = lane();
    l.admit(500, "tok-1");
    l.add(1000, adult("in"));
    l.runUntilIdle();
    const [inner] = breaks(l.inner);
    expect(events(l)).toEqual([`entry@${inner[1]}`]);
    expect(breaks(l.outer)[0][0]).toBeLessThan(inner[0]);
    expect(l.admissions.all[0].usedMs).toBe(inner[1]);
  });

  it("opens to force while locked: forced when the latch gives, and the forcer's crossing is a wrong way", () => {
    const l = lane();
    l.add(1000, adult("in", { forceMs: 1200 }));
    l.runUntilIdle();
    const body = l.bodies[0];
    expect(l.doorClosed[0].tMs).toBe(body.atDoorMs + 1200);
    expect(events(l)).toEqual([`forced@${l.doorClosed[0].tMs}`, `wrong_way@${body.crossedMs}`]);
  });

  it("holds an admission for ADMIT_WINDOW_MS only: a body arriving later finds the door locked", () => {
    const l = lane();
    l.admit(500, "tok-1");
    l.add(500 + ADMIT_WINDOW_MS, adult("in", { patienceMs: 2000 }));
    l.runUntilIdle();
    expect(l.doorClosed).toEqual([]);
    expect(events(l)).toEqual([]);
  });

  it("keeps a claimed admission while its body stands in the outer beam past the window", () => {
    const l = lane();
    l.admit(500, "tok-1");
    l.add(1000, adult("in", { loiter: { atU: 0.05, ms: ADMIT_WINDOW_MS + 3000, then: "go" } }));
    l.runUntilIdle();
    expect(events(l)).toEqual([`entry@${l.bodies[0].crossedMs}`]);
  });

  it("releases for an emergency (no forced door) and always for a push from the store side", () => {
    const em = new Emergency();
    em.add(0, 20_000);
    const a = lane(em);
    a.add(1000, adult("in"));
    a.runUntilIdle();
    expect(events(a)).toEqual([`wrong_way@${a.bodies[0].crossedMs}`]);
    const b = lane();
    b.add(1000, adult("out"));
    b.runUntilIdle();
    expect(events(b)).toEqual([`exit@${b.bodies[0].crossedMs}`]);
  });
});

describe("who came through", () => {
  it("one admission, two bodies: an entry and a tailgate; two admissions: two entries", () => {
    const one = lane();
    one.admit(500, "tok-1");
    one.add(1000, adult("in"));
    one.add(1300, adult("in"));
    one.runUntilIdle();
    expect(events(one).map((e) => e.split("@")[0])).toEqual(["entry", "tailgate"]);
    const two = lane();
    two.admit(500, "tok-1");
    two.admit(900, "tok-2");
    two.add(1000, adult("in"));
    two.add(1300, adult("in"));
    two.runUntilIdle();
    expect(events(two).map((e) => e.split("@")[0])).toEqual(["entry", "entry"]);
  });

  it("someone slipping in through a door opened for someone leaving goes the wrong way", () => {
    const l = lane();
    l.add(1000, adult("out"));
    l.runUntilTrue(() => l.bodies[0]?.crossedMs >= 0);
    l.add(l.nowMs + 200, adult("in", { startGapM: 0.5 }));
    l.runUntilIdle();
    expect(events(l).map((e) => e.split("@")[0])).toEqual(["exit", "wrong_way"]);
    expect(l.openings).toHaveLength(1);
  });

  it("a door held open past the limit is held_open 15 s after it opened", () => {
    const l = lane();
    l.add(1000, adult("out", { holdDoorMs: 25_000 }));
    l.runUntilIdle();
    const open = l.doorClosed[0].tMs;
    expect(l.doorClosed[1].tMs - open).toBeGreaterThan(25_000);
    expect(events(l)).toContain(`held_open@${open + 15_000}`);
  });

  it("refuses a scenario where two bodies would walk into each other", () => {
    const l = lane();
    l.add(1000, adult("out", { holdDoorMs: 5000 }));
    l.add(1000, adult("in"));
    expect(() => l.runUntilIdle()).toThrow(/collide/);
  });
});

describe("flicker", () => {
  it("adds pulses shorter than 50 ms, clear of real changes, that a 50 ms filter removes exactly", () => {
    const real: LevelChange[] = [];
    for (let t = 1000; t < 60_000; t += 3000) real.push({ tMs: t, level: 1 }, { tMs: t + 900, level: 0 });
    const out = addFlicker(real, 62_000, { breaksPerMin: 30, clearsPerS: 2 }, new Random(5));
    const pulses = out.filter((c) => !real.includes(c));
    expect(pulses.length).toBeGreaterThan(40);
    for (let i = 0; i < out.length - 1; i++) {
      if (!real.includes(out[i]) && out[i].level !== out[i + 1].level) {
        expect(out[i + 1].tMs - out[i].tMs).toBeLessThan(FLICKER_MAX_MS);
        const near = real.map((r) => Math.min(Math.abs(r.tMs - out[i].tMs), Math.abs(r.tMs - out[i + 1].tMs)));
        expect(Math.min(...near)).toBeGreaterThanOrEqual(FLICKER_CLEARANCE_MS);
        i++;
      }
    }
    expect(withoutPulses(out, FLICKER_MAX_MS)).toEqual(real);
  });
});
