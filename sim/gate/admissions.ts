import { ADMIT_WINDOW_MS } from "./lane-geometry.ts";
import type { Emergency } from "./emergency.ts";

/** One authorisation: the token, when it came, and what became of it. */
export interface Admission {
  token: string;
  tMs: number;
  /** The body whose inward crossing holds it, and since when; -1 for none. */
  claimedBy: number;
  claimedMs: number;
  /** When a crossing used it up; -1 while unused. */
  usedMs: number;
}

/**
 * A lane's admissions and lock, as the ideal controller keeps them. Each admission lets one body
 * in. It is in force from its arrival until ADMIT_WINDOW_MS later, or, once a body heading in
 * has reached the outer beam and claimed it, until that body has crossed (used) or turned back
 * (released, and the window applies again). The lock is released while any admission is in force
 * or the emergency input is active; a push from the store side always opens (free egress).
 */
export class Admissions {
  readonly all: Admission[] = [];

  constructor(private readonly emergency: Emergency) {}

  admit(tMs: number, token: string): void {
    this.all.push({ token, tMs, claimedBy: -1, claimedMs: -1, usedMs: -1 });
  }

  private inForce(a: Admission, tMs: number): boolean {
    return a.usedMs < 0 && a.tMs <= tMs && (a.claimedBy >= 0 || tMs < a.tMs + ADMIT_WINDOW_MS);
  }

  /** Whether the lock lets a push from the street open the latched door. */
  released(tMs: number): boolean {
    return this.emergency.active(tMs) || this.all.some((a) => this.inForce(a, tMs));
  }

  /** Any admission still in force: the lane is not idle. */
  pending(tMs: number): boolean {
    return this.all.some((a) => this.inForce(a, tMs));
  }

  /** The oldest unclaimed admission in force goes to the body; undefined when there is none. */
  claim(bodyId: number, tMs: number): Admission | undefined {
    const a = this.all.find((x) => x.claimedBy < 0 && this.inForce(x, tMs));
    if (a) {
      a.claimedBy = bodyId;
      a.claimedMs = tMs;
    }
    return a;
  }

  heldBy(bodyId: number): Admission | undefined {
    return this.all.find((a) => a.claimedBy === bodyId && a.usedMs < 0);
  }

  release(bodyId: number): void {
    const a = this.heldBy(bodyId);
    if (a) {
      a.claimedBy = -1;
      a.claimedMs = -1;
    }
  }
}
