/*
 * Minimal passage detection for the foundation: the order in which a lane's two beams break
 * gives the direction, and the passage counts once both beams are clear again. The gate issue
 * replaces this with the full per-lane state machine.
 */

export const OUTER = 0;
export const INNER = 1;

export interface Passage {
  type: string;
  tMs: number;
}

export class PassageDetector {
  private first = -1;
  private sawOther = false;
  private readonly broken: boolean[] = [false, false];

  /** beam is OUTER or INNER; returns a passage when the lane clears after both beams broke. */
  update(beam: number, broken: boolean, tMs: number): Passage | undefined {
    this.broken[beam] = broken;
    if (broken) {
      if (this.first < 0) {
        this.first = beam;
      } else if (beam !== this.first) {
        this.sawOther = true;
      }
      return undefined;
    }
    if (this.broken[OUTER] || this.broken[INNER]) {
      return undefined;
    }
    const first = this.first;
    const complete = this.sawOther;
    this.first = -1;
    this.sawOther = false;
    if (!complete) {
      return undefined;
    }
    return { type: first === OUTER ? "entry" : "exit", tMs: tMs };
  }
}
