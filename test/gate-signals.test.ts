import { describe, expect, it } from "vitest";
import type { DigitalOut } from "../hal/digital.ts";
import { gateTimes, Ln } from "../firmware/core/gate-events.ts";
import { DOOR_CLOSED, newGateLane } from "../firmware/core/gate-lane.ts";
import { ALARM_MS, BLINK_MS, CHIRP_MS, newGateSignals, signalsChirp, signalsEvent, signalsLock, signalsShow, type GateSignals } from "../firmware/core/gate-signals.ts";

/* GateSignals by example (firmware/core/gate-signals.ts); test/gate-app.test.ts has it on every runner. */

function rig(laneCount = 1) {
  const writes: string[] = [];
  const out = (name: string): DigitalOut => ({ write: (level) => writes.push(`${name}=${level ? 1 : 0}`) });
  const ids = Array.from({ length: laneCount }, (_, i) => i);
  const lanes = ids.map(() => newGateLane(gateTimes(), { event: () => {}, lock: () => {}, admitted: () => {} }));
  /** Lane i's door as settled (what the signals look at). */
  const door = (i: number, open: boolean) => (lanes[i][0][Ln.LEVEL + DOOR_CLOSED] = open ? 0 : 1);
  const lights = ids.flatMap((_, i) => [out(`G${i + 1}.green`), out(`G${i + 1}.red`)]);
  const signals = newGateSignals(lanes, lights, out("buzzer"));
  /** The writes since the last call. */
  const take = () => writes.splice(0);
  return { signals, door, take };
}

/** The instants within [from, to] (every 100 ms, as the app's tick) at which show() wrote red=1. */
function redOns(s: GateSignals, take: () => string[], from: number, to: number): number[] {
  const ons: number[] = [];
  for (let t = from; t <= to; t += 100) {
    signalsShow(s, t);
    if (take().includes("G1.red=1")) ons.push(t);
  }
  return ons;
}

describe("the gate's signals", () => {
  it("lights green while the lock is released and red while it is locked, writing each output only when it changes", () => {
    const { signals, take } = rig();
    signalsShow(signals, 0);
    expect(take()).toEqual(["G1.green=0", "G1.red=1", "buzzer=0"]);
    signalsShow(signals, 100);
    expect(take()).toEqual([]);
    signalsLock(signals, 0, false, 200);
    expect(take()).toEqual(["G1.green=1", "G1.red=0"]);
    signalsLock(signals, 0, true, 900);
    expect(take()).toEqual(["G1.green=0", "G1.red=1"]);
  });

  it("chirps for CHIRP_MS on an admission", () => {
    const { signals, take } = rig();
    signalsShow(signals, 0);
    take();
    signalsChirp(signals, 1000);
    expect(take()).toEqual(["buzzer=1"]);
    signalsShow(signals, 1000 + CHIRP_MS - 1);
    expect(take()).toEqual([]);
    signalsShow(signals, 1000 + CHIRP_MS);
    expect(take()).toEqual(["buzzer=0"]);
  });

  it("blinks red and beeps for ALARM_MS after a tailgate, and an alarm during it keeps the rhythm and lengthens it", () => {
    const { signals, take } = rig();
    signalsShow(signals, 0);
    take();
    signalsEvent(signals, 0, "tailgate", 1000);
    expect(take()).toEqual(["buzzer=1"]);
    signalsShow(signals, 1000 + BLINK_MS);
    expect(take()).toEqual(["G1.red=0", "buzzer=0"]);
    signalsEvent(signals, 0, "wrong_way", 1000 + 3 * BLINK_MS);
    expect(take()).toEqual([]);
    const ons = redOns(signals, take, 1000 + 3 * BLINK_MS + 100, 1000 + 10 * ALARM_MS);
    // On every 2 × BLINK_MS from the first alarm, up to ALARM_MS past the second; then red for locked, steady.
    const last = 1000 + 3 * BLINK_MS + ALARM_MS;
    expect(ons).toEqual(Array.from({ length: 100 }, (_, k) => 1000 + (k + 1) * 2 * BLINK_MS).filter((t) => t >= 1000 + 3 * BLINK_MS + 100 && t < last).concat([last]));
  });

  it("sounds nothing for the emergency but lights green; an entry or exit is no alarm", () => {
    const { signals, take } = rig();
    signalsShow(signals, 0);
    take();
    signalsEvent(signals, 0, "emergency", 100);
    signalsLock(signals, 0, false, 120);
    signalsEvent(signals, 0, "entry", 500);
    signalsEvent(signals, 0, "exit", 700);
    expect(take()).toEqual(["G1.green=1", "G1.red=0"]);
  });

  it("beeps while a door reported held open stays open, and stops when it shuts", () => {
    const { signals, door, take } = rig(2);
    signalsShow(signals, 0);
    take();
    door(1, true);
    signalsEvent(signals, 1, "held_open", 15000);
    expect(take()).toEqual(["buzzer=1"]);
    for (let t = 15100; t < 60000; t += 100) signalsShow(signals, t);
    const during = take();
    expect(during.filter((w) => w === "G2.red=1").length).toBe(Math.floor((60000 - 15000 - 1) / (2 * BLINK_MS)));
    expect(during.some((w) => w.startsWith("G1"))).toBe(false);
    door(1, false);
    signalsShow(signals, 60000);
    signalsShow(signals, 60100);
    expect(take().filter((w) => w !== "G2.red=1" && w !== "buzzer=0")).toEqual([]);
    signalsShow(signals, 61000);
    expect(take()).toEqual([]);
  });
});
