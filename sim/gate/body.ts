import { BEAM_SPACING_M, DOOR_CONTACT_U, INNER_X_M, OUTER_X_M } from "./lane-geometry.ts";

export type BodyKind = "adult" | "child" | "cart" | "long";

/** What a body is and means to do; everything else about it follows from the lane. */
export interface BodySpec {
  kind: BodyKind;
  /** Depth along the direction of travel: a cart with the person pushing it is one long body. */
  lengthM: number;
  speedMps: number;
  /** "in": street to store, breaking the outer beam first; "out": store to street. */
  dir: "in" | "out";
  /** How far its leading end starts before its near beam (default 1 m). */
  startGapM?: number;
  /** Stop with the leading end at u = atU (see lane-geometry.ts) for ms, then walk on or turn back. */
  loiter?: { atU: number; ms: number; then: "go" | "back" };
  /** Forces a locked door open, taking this long at it. */
  forceMs?: number;
  /** From touching the door to the latch letting go, when the door may open. */
  pushMs?: number;
  /** How long it waits at a door that will not open before turning back. */
  patienceMs?: number;
  /** Once through the doorway, it holds (or wedges) the door open this long, standing clear of the beams. */
  holdDoorMs?: number;
  /** Turns back when an emergency starts while it is still short of the doorway. */
  backOnEmergency?: boolean;
}

/**
 * A body walking a lane, one millisecond at a time. It moves at its speed unless the lane limits
 * how far it may go this step (the body ahead, a door not yet open, a planned stop). It never
 * accelerates gradually: walkers stop and start at once, which keeps its beam times exact
 * (a body of length L at speed v breaks a beam it walks through for L / v).
 */
export class Body {
  /** Where its leading end is past its near beam, in metres. */
  u: number;
  heading: 1 | -1 = 1;
  state: "walk" | "door" | "loiter" | "gone" = "walk";
  /** When it reached the closed door, when its stop ends. */
  atDoorMs = -1;
  loiterEndMs = -1;
  loitered = false;
  /** The ms its leading end first reached its near beam heading on, and the ms it crossed (back past the far beam). */
  reachedMs = -1;
  crossedMs = -1;

  constructor(readonly id: number, readonly spec: BodySpec, readonly spawnMs: number) {
    this.u = -(spec.startGapM ?? 1);
  }

  get lengthM(): number {
    return this.spec.lengthM;
  }

  /** Its extent [lo, hi] in lane x. */
  extent(): [number, number] {
    const near = this.spec.dir === "in" ? OUTER_X_M : INNER_X_M;
    const s = this.spec.dir === "in" ? 1 : -1;
    const a = near + s * this.u;
    const b = near + s * (this.u - this.spec.lengthM);
    return a < b ? [a, b] : [b, a];
  }

  covers(xM: number): boolean {
    const [lo, hi] = this.extent();
    return lo <= xM && xM <= hi;
  }

  /** Still short of the doorway (it could turn back without having gone through). */
  get beforeDoor(): boolean {
    return this.u <= DOOR_CONTACT_U;
  }

  get crossed(): boolean {
    return this.u - this.spec.lengthM > BEAM_SPACING_M;
  }

  turnBack(): void {
    this.heading = -1;
    this.state = "walk";
  }

  /**
   * One step of dtMs. Heading on, it goes no further than maxU; at a planned stop it stays until
   * the stop ends. Returns the metres moved.
   */
  advance(tMs: number, dtMs: number, maxU: number): number {
    if (this.state === "gone" || this.state === "door") return 0;
    if (this.state === "loiter") {
      if (tMs < this.loiterEndMs) return 0;
      this.state = "walk";
      if (this.spec.loiter!.then === "back") this.heading = -1;
    }
    const step = (this.spec.speedMps * dtMs) / 1000;
    const before = this.u;
    if (this.heading < 0) {
      this.u -= step;
      if (this.u < -1) this.state = "gone";
      return before - this.u;
    }
    const plan = this.spec.loiter;
    let limit = maxU;
    if (plan && !this.loitered && this.u <= plan.atU) limit = Math.min(limit, plan.atU);
    this.u = Math.max(this.u, Math.min(this.u + step, limit));
    if (plan && !this.loitered && this.u === plan.atU) {
      this.loitered = true;
      this.state = "loiter";
      this.loiterEndMs = tMs + plan.ms;
    }
    if (this.u - this.spec.lengthM > BEAM_SPACING_M + 1) this.state = "gone";
    return this.u - before;
  }
}
