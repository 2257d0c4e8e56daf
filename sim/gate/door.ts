/** A door's travel: full opening and full closing times, and how long its closer waits. */
export interface DoorSpec {
  openMs: number;
  closeMs: number;
  closeDelayMs: number;
}

/** How far open a door must be for a body to walk through without touching it. */
export const PASSABLE = 0.8;

/**
 * A door leaf and its closer. `position` runs from 0 (fully closed, latched) to 1 (fully open);
 * the door_closed switch reads 1 only at 0. Pushed (or held) it opens at 1/openMs a ms; left
 * alone for closeDelayMs its closer swings it shut at 1/closeMs a ms, and it latches at 0.
 * Whether a latched door may be pushed open is the lock's business, not the door's: step() is
 * only asked to open a latched door by a push the lock allowed, or by force.
 */
export class Door {
  position = 0;
  private lastHeldMs = -Infinity;

  constructor(readonly spec: DoorSpec) {}

  get closed(): boolean {
    return this.position <= 0;
  }

  get passable(): boolean {
    return this.position >= PASSABLE;
  }

  /** One ms. Returns "opened" when it leaves closed, "closed" when it latches, else undefined. */
  step(tMs: number, held: boolean): "opened" | "closed" | undefined {
    const wasClosed = this.closed;
    if (held) {
      this.position = Math.min(1, this.position + 1 / this.spec.openMs);
      this.lastHeldMs = tMs;
    } else if (!wasClosed && tMs - this.lastHeldMs > this.spec.closeDelayMs) {
      this.position = Math.max(0, this.position - 1 / this.spec.closeMs);
    }
    if (wasClosed && !this.closed) return "opened";
    if (!wasClosed && this.closed) return "closed";
    return undefined;
  }
}
