import type { BodyKind, BodySpec } from "../gate/body.ts";
import { makeBody } from "../gate/body-kinds.ts";
import type { GateLane } from "../gate/gate-lane.ts";
import { BEAM_SPACING_M } from "../gate/lane-geometry.ts";
import type { Random } from "./random.ts";

/**
 * The little stories a gate scenario strings together on one lane: who comes, with how many
 * admissions, and what they do. Each starts at the lane's present, schedules ahead of it, and
 * returns once the lane is idle again (no body, door latched, no admission in force). Between
 * them the lane rests, so episodes never run into each other.
 */
export class LaneScript {
  private readonly tokens = new Set<string>();

  constructor(readonly rnd: Random, readonly lane: GateLane) {}

  /** A fresh credential: an opaque token, unique in the trace. */
  token(): string {
    for (;;) {
      const t = `tok-${this.rnd.int(0, 0xffffffff).toString(16).padStart(8, "0")}`;
      if (!this.tokens.has(t)) {
        this.tokens.add(t);
        return t;
      }
    }
  }

  body(kind: BodyKind, dir: "in" | "out", extra: Partial<BodySpec> = {}): BodySpec {
    return makeBody(this.rnd, kind, dir, extra);
  }

  get now(): number {
    return this.lane.nowMs;
  }

  /** Admissions for n bodies a moment apart (a shopper scanning), then the bodies in single file. Returns their specs. */
  enter(kinds: BodyKind[], credits = kinds.length, extra: Partial<BodySpec>[] = []): BodySpec[] {
    let t = this.now;
    for (let i = 0; i < credits; i++) {
      t += i === 0 ? 0 : this.rnd.between(400, 1000);
      this.lane.admit(t, this.token());
    }
    return this.file(t + this.rnd.between(300, 1800), kinds, "in", extra);
  }

  /** Bodies leaving in single file (no admission: egress is free). */
  leave(kinds: BodyKind[], extra: Partial<BodySpec>[] = []): BodySpec[] {
    return this.file(this.now, kinds, "out", extra);
  }

  /** Bodies one behind another, each setting off 0.2–0.9 s after the one before (they keep their distance on the way). */
  file(t0: number, kinds: BodyKind[], dir: "in" | "out", extra: Partial<BodySpec>[] = []): BodySpec[] {
    let t = t0;
    return kinds.map((kind, i) => {
      const spec = this.body(kind, dir, extra[i]);
      if (i > 0) t += this.rnd.between(200, 900);
      this.lane.add(t, spec);
      return spec;
    });
  }

  find(spec: BodySpec) {
    return this.lane.bodies.find((b) => b.spec === spec);
  }

  /** Runs the lane until this body has crossed, turned away, or gone. */
  until(spec: BodySpec, what: "reached" | "crossed" | "gone"): void {
    this.lane.runUntilTrue(() => {
      const b = this.find(spec);
      if (!b) return false;
      if (what === "reached") return b.reachedMs >= 0 || b.state === "gone";
      if (what === "crossed") return b.crossedMs >= 0 || b.state === "gone";
      return b.state === "gone";
    });
  }

  /** Lets an unused admission age well past any admission window a controller might use (6–20 s) before anyone else comes in. */
  quietAfter(admitMs: number): void {
    this.lane.runUntilIdle();
    this.lane.runUntil(Math.max(this.now, admitMs + 22_000));
  }

  rest(): void {
    this.lane.runUntilIdle();
    this.lane.runUntil(this.now + this.rnd.between(2000, 6000));
  }

  /** A stop standing in a beam: the near beam (before the door) or the far one (past the door). */
  loiterAt(where: "near" | "far", ms: number, then: "go" | "back"): Partial<BodySpec> {
    const atU = (where === "near" ? 0 : BEAM_SPACING_M) + this.rnd.between(0.02, 0.1);
    return { loiter: { atU: Math.round(atU * 1000) / 1000, ms: Math.round(ms), then } };
  }

  pick<T>(xs: T[]): T {
    return xs[this.rnd.int(0, xs.length - 1)];
  }
}
