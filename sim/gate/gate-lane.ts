import { Admissions } from "./admissions.ts";
import { Body, type BodySpec } from "./body.ts";
import { Door, type DoorSpec } from "./door.ts";
import type { Emergency } from "./emergency.ts";
import { CORRIDOR_MARGIN_M, DOOR_CONTACT_U, DOOR_FAR_U, FOLLOW_GAP_M, HELD_OPEN_LIMIT_MS, INNER_X_M, OUTER_X_M } from "./lane-geometry.ts";

export type LevelChange = { tMs: number; level: number };
export type GateTruthType = "entry" | "exit" | "tailgate" | "wrong_way" | "forced" | "held_open";
export interface LaneEvent { type: GateTruthType; tMs: number; bodyId: number }
export interface Opening { startMs: number; endMs: number; forced: boolean }

const PUSH_MS = 250;
const PATIENCE_MS = 3000;

/**
 * One lane of a gate, simulated a millisecond at a time: bodies walking it, its door and lock,
 * its two beams. It records what the sensors saw (beam and door levels, admissions) and what
 * really happened (the truth events, by the rules of docs/gate-scenarios.md):
 * - a body crosses when its back leaves the far beam: "exit" going out; going in, "entry" when
 *   it holds an admission, else "tailgate" when an admitted entry came through and the door has
 *   not been fully closed since, else "wrong_way";
 * - "forced" when the latched door is pushed open from the street while the lock is not released;
 * - "held_open" HELD_OPEN_LIMIT_MS into an opening (door_closed 0) that lasts that long.
 * Scenarios drive it forward with runUntil/runUntilIdle and add bodies and admissions ahead of now.
 */
export class GateLane {
  nowMs = 0;
  readonly door: Door;
  readonly admissions: Admissions;
  readonly bodies: Body[] = [];
  readonly outer: LevelChange[] = [];
  readonly inner: LevelChange[] = [];
  readonly doorClosed: LevelChange[] = [];
  readonly admits: { tMs: number; token: string }[] = [];
  readonly events: LaneEvent[] = [];
  readonly openings: Opening[] = [];
  private pending: { tMs: number; body?: BodySpec; token?: string }[] = [];
  private holdUntilMs = -1;
  private readonly holders = new Set<number>();
  private admittedOpen = false;
  private levels = [0, 0, 1];

  constructor(readonly id: string, doorSpec: DoorSpec, readonly emergency: Emergency) {
    this.door = new Door(doorSpec);
    this.admissions = new Admissions(emergency);
  }

  /** A body appears (its leading end startGapM before its near beam) at tMs ≥ now. */
  add(tMs: number, spec: BodySpec): void {
    this.schedule({ tMs: Math.round(tMs), body: spec });
  }

  /** An admission arrives at tMs ≥ now. */
  admit(tMs: number, token: string): void {
    this.schedule({ tMs: Math.round(tMs), token });
  }

  private schedule(p: { tMs: number; body?: BodySpec; token?: string }): void {
    if (p.tMs < this.nowMs) throw new Error(`lane ${this.id}: cannot schedule at ${p.tMs} ms, already at ${this.nowMs} ms`);
    this.pending.push(p);
    this.pending.sort((a, b) => a.tMs - b.tMs);
  }

  get active(): Body[] {
    return this.bodies.filter((b) => b.state !== "gone");
  }

  idle(): boolean {
    return this.pending.length === 0 && this.active.length === 0 && this.door.closed && this.nowMs >= this.holdUntilMs && !this.admissions.pending(this.nowMs);
  }

  runUntil(tMs: number): void {
    while (this.nowMs < tMs) this.step();
  }

  /** Runs until nothing is going on, at most maxMs more. */
  runUntilIdle(maxMs = 300_000): void {
    const limit = this.nowMs + maxMs;
    while (!this.idle()) {
      if (this.nowMs >= limit) throw new Error(`lane ${this.id} still busy at ${this.nowMs} ms`);
      this.step();
    }
  }

  /** Runs until test() holds, at most maxMs more. */
  runUntilTrue(test: () => boolean, maxMs = 60_000): void {
    const limit = this.nowMs + maxMs;
    while (!test()) {
      if (this.nowMs >= limit) throw new Error(`lane ${this.id}: condition not met by ${this.nowMs} ms`);
      this.step();
    }
  }

  /** Ends the recording at now: an opening still in progress is cut there. Returns the truth, by time. */
  finish(): LaneEvent[] {
    const open = this.openings.at(-1);
    if (open && open.endMs < 0) open.endMs = this.nowMs;
    const held = this.openings.filter((o) => o.endMs - o.startMs > HELD_OPEN_LIMIT_MS).map((o) => ({ type: "held_open" as const, tMs: o.startMs + HELD_OPEN_LIMIT_MS, bodyId: -1 }));
    return [...this.events, ...held].sort((a, b) => a.tMs - b.tMs);
  }

  private step(): void {
    const t = this.nowMs;
    while (this.pending.length && this.pending[0].tMs <= t) {
      const p = this.pending.shift()!;
      if (p.body) this.bodies.push(new Body(this.bodies.length, p.body, t));
      else {
        this.admissions.admit(t, p.token!);
        this.admits.push({ tMs: t, token: p.token! });
      }
    }
    const bodies = this.active;
    for (const b of bodies) this.move(b, t, bodies);
    const pushing = bodies.map((b) => b.state === "door" && this.push(b, t)).includes(true);
    const inDoorway = bodies.some((b) => b.u > DOOR_CONTACT_U && b.u - b.lengthM <= DOOR_FAR_U);
    const change = this.door.step(t, pushing || inDoorway || t < this.holdUntilMs);
    if (change === "opened") {
      const forced = !this.admissions.released(t) && bodies.some((b) => b.state === "door" && b.spec.dir === "in" && b.spec.forceMs !== undefined);
      this.openings.push({ startMs: t, endMs: -1, forced });
      if (forced) this.events.push({ type: "forced", tMs: t, bodyId: -1 });
    } else if (change === "closed") {
      this.openings.at(-1)!.endMs = t;
      this.admittedOpen = false;
    }
    for (const b of bodies) this.account(b, t);
    this.record(t, bodies);
    this.nowMs = t + 1;
  }

  private move(b: Body, t: number, bodies: Body[]): void {
    if (b.heading > 0 && b.spec.backOnEmergency && b.beforeDoor && this.emergency.active(t)) b.turnBack();
    if (b.state === "door" && this.door.passable) b.state = "walk";
    let maxU = Infinity;
    if (b.heading > 0 && b.u <= DOOR_CONTACT_U && !this.door.passable) maxU = DOOR_CONTACT_U;
    for (const a of bodies) {
      if (a === b) break;
      if (a.spec.dir === b.spec.dir && a.heading > 0 && a.u > b.u) maxU = Math.min(maxU, a.u - a.lengthM - FOLLOW_GAP_M);
    }
    b.advance(t, 1, maxU);
    if (b.state === "walk" && b.heading > 0 && b.u === DOOR_CONTACT_U && !this.door.passable) {
      b.state = "door";
      b.atDoorMs = t;
    }
  }

  /** A body at the closed door: may it open it yet? One without leave turns back once out of patience. */
  private push(b: Body, t: number): boolean {
    const waited = t - b.atDoorMs;
    if (!this.door.closed || b.spec.dir === "out" || this.admissions.released(t)) return waited >= (b.spec.pushMs ?? PUSH_MS);
    if (b.spec.forceMs !== undefined) return waited >= b.spec.forceMs;
    if (waited >= (b.spec.patienceMs ?? PATIENCE_MS)) b.turnBack();
    return false;
  }

  private account(b: Body, t: number): void {
    if (b.heading < 0) this.admissions.release(b.id);
    if (b.heading > 0 && b.reachedMs < 0 && b.u >= 0) {
      b.reachedMs = t;
      if (b.spec.dir === "in") this.admissions.claim(b.id, t);
    }
    if (b.spec.holdDoorMs !== undefined && b.heading > 0 && b.u - b.lengthM > DOOR_FAR_U && !this.holders.has(b.id)) {
      this.holders.add(b.id);
      this.holdUntilMs = Math.max(this.holdUntilMs, t + b.spec.holdDoorMs);
    }
    if (b.crossedMs >= 0 || !b.crossed) return;
    b.crossedMs = t;
    if (b.spec.dir === "out") return void this.events.push({ type: "exit", tMs: t, bodyId: b.id });
    const a = this.admissions.heldBy(b.id);
    if (a) {
      a.usedMs = t;
      this.admittedOpen = !this.door.closed;
    }
    this.events.push({ type: a ? "entry" : this.admittedOpen ? "tailgate" : "wrong_way", tMs: t, bodyId: b.id });
  }

  private record(t: number, bodies: Body[]): void {
    const levels = [bodies.some((b) => b.covers(OUTER_X_M)) ? 1 : 0, bodies.some((b) => b.covers(INNER_X_M)) ? 1 : 0, this.door.closed ? 1 : 0];
    const lists = [this.outer, this.inner, this.doorClosed];
    for (let i = 0; i < 3; i++) {
      if (levels[i] !== this.levels[i]) lists[i].push({ tMs: t, level: levels[i] });
    }
    this.levels = levels;
    this.checkCorridor(bodies);
  }

  /** Two bodies in the single-file stretch can never overlap: a scenario that makes them is wrong. */
  private checkCorridor(bodies: Body[]): void {
    const lo = OUTER_X_M - CORRIDOR_MARGIN_M;
    const hi = INNER_X_M + CORRIDOR_MARGIN_M;
    const spans = bodies.map((b) => b.extent()).map(([a, c]) => [Math.max(a, lo), Math.min(c, hi)]);
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) {
        const [a, b] = [spans[i], spans[j]];
        if (a[0] < a[1] && b[0] < b[1] && a[0] < b[1] && b[0] < a[1]) throw new Error(`lane ${this.id}: bodies ${bodies[i].id} and ${bodies[j].id} collide at ${this.nowMs} ms`);
      }
    }
  }
}
