/*
 * The gate scenarios of `aisle gen gate` (docs/gate-scenarios.md). A scenario is a list of
 * episodes, each with a weight, played one after another on each lane with rests between; a few
 * have flicker on their beams. Every episode keeps to what a controller can be asked to get
 * right: admitted bodies reach the outer beam within 8 s of their admission, an admission left
 * unused is followed by no one coming in for 22 s, a door opening that is not held open lasts
 * under 12 s, and one that is lasts 20 s or more.
 */
import type { FlickerRates } from "../gate/beam-flicker.ts";
import { NO_FLICKER } from "../gate/beam-flicker.ts";
import type { BodyKind } from "../gate/body.ts";
import type { Emergency } from "../gate/emergency.ts";
import type { LaneScript } from "./gate-episodes.ts";

type Episode = (s: LaneScript, emergency: Emergency) => void;

export interface GateScenario {
  lanes: number;
  defaultS: number;
  flicker: FlickerRates;
  /** Episodes and their weights, for each lane (the last list serves the lanes beyond). */
  episodes: [Episode, number][][];
}

const adultOrChild = (s: LaneScript): BodyKind => (s.rnd.next() < 0.85 ? "adult" : "child");

const entry: Episode = (s) => void s.enter([adultOrChild(s)]);
const exit: Episode = (s) => void s.leave([adultOrChild(s)]);
const unused: Episode = (s) => {
  const t = s.now;
  s.lane.admit(t, s.token());
  s.quietAfter(t);
};
const groupIn: Episode = (s) => void s.enter(Array.from({ length: s.rnd.int(2, 4) }, () => adultOrChild(s)));
const groupOut: Episode = (s) => void s.leave(Array.from({ length: s.rnd.int(2, 4) }, () => adultOrChild(s)));
/** One admission, two or three through. */
const tailgate: Episode = (s) => void s.enter(Array.from({ length: s.rnd.int(2, 3) }, () => adultOrChild(s)), 1);
/** One admission; the next person catches the door before it latches. */
const catchDoor: Episode = (s) => {
  const [a] = s.enter(["adult"]);
  s.until(a, "crossed");
  s.lane.add(s.now + s.rnd.between(100, 700), s.body(adultOrChild(s), "in", { startGapM: 0.6 }));
};
const childAlone: Episode = (s) => void (s.rnd.next() < 0.6 ? s.enter(["child"]) : s.leave(["child"]));
const withChild: Episode = (s) => {
  const kinds: BodyKind[] = s.rnd.next() < 0.5 ? ["adult", "child"] : ["child", "adult"];
  if (s.rnd.next() < 0.4) s.leave(kinds);
  else s.enter(kinds, s.rnd.next() < 0.5 ? 2 : 1);
};
const long = (kind: BodyKind): Episode => (s) => void (s.rnd.next() < 0.5 ? s.enter([kind]) : s.leave([kind]));
const cartBehind: Episode = (s) => void s.enter(["adult", "cart"]);
const loiterIn: Episode = (s) => {
  const back = s.rnd.next() < 0.35;
  const t = s.now;
  const [b] = s.enter([adultOrChild(s)], 1, [s.loiterAt("near", s.rnd.between(2000, 9000), back ? "back" : "go")]);
  if (back) {
    s.until(b, "gone");
    s.quietAfter(t);
  }
};
const loiterOut: Episode = (s) => void s.leave([adultOrChild(s)], [s.loiterAt("near", s.rnd.between(2000, 9000), s.rnd.next() < 0.35 ? "back" : "go")]);
/** Stops in the inner beam just past the door (on a phone), then walks on. */
const loiterPast: Episode = (s) => void s.enter(["adult"], 1, [s.loiterAt("far", s.rnd.between(2000, 5000), "go")]);
/** Someone leaves; someone from the street slips in through the closing door. */
const slipIn: Episode = (s) => {
  const [a] = s.leave([adultOrChild(s)]);
  s.until(a, "crossed");
  s.lane.add(s.now + s.rnd.between(100, 600), s.body(adultOrChild(s), "in", { startGapM: 0.5 }));
};
const forced: Episode = (s) => void s.lane.add(s.now, s.body("adult", "in", { forceMs: Math.round(s.rnd.between(600, 2000)) }));
/** Pushes the locked door, gives up, walks away: the door stays closed. */
const denied: Episode = (s) => void s.lane.add(s.now, s.body(adultOrChild(s), "in", { patienceMs: Math.round(s.rnd.between(1500, 4000)) }));
const heldOpen: Episode = (s) => {
  const holdMs = Math.round(s.rnd.between(20_000, 45_000));
  const [a] = s.rnd.next() < 0.5 ? s.enter(["adult"], 1, [{ holdDoorMs: holdMs }]) : s.leave(["adult"], [{ holdDoorMs: holdMs }]);
  s.until(a, "crossed");
  const end = s.now + holdMs;
  for (let t = s.now + s.rnd.between(2000, 5000); t < end - 3000; t += s.rnd.between(3000, 8000)) {
    s.lane.runUntil(t);
    if (s.rnd.next() < 0.7) s.leave([adultOrChild(s)]);
    else s.enter([adultOrChild(s)]);
  }
};
/** The alarm goes off while an admitted body is between the beams; people leave while it lasts. */
const emergencyMid: Episode = (s, emergency) => {
  const t0 = s.now;
  const back = s.rnd.next() < 0.3;
  const [a] = s.enter(["adult"], 1, [{ backOnEmergency: back }]);
  s.until(a, "reached");
  const start = s.now + Math.round(s.rnd.between(200, 600));
  const end = start + Math.round(s.rnd.between(15_000, 40_000));
  emergency.add(start, end);
  for (let t = start + s.rnd.between(1500, 3000); t < end - 4000; t += s.rnd.between(6000, 10_000)) {
    s.lane.runUntil(t);
    s.leave([adultOrChild(s)]);
  }
  s.lane.runUntil(end);
  if (back) s.quietAfter(t0);
};

const ordinary: [Episode, number][] = [[entry, 5], [exit, 4]];

export const GATE_SCENARIOS: Record<string, GateScenario> = {
  single: { lanes: 1, defaultS: 420, flicker: NO_FLICKER, episodes: [[[entry, 5], [exit, 4], [unused, 1]]] },
  groups: { lanes: 2, defaultS: 240, flicker: NO_FLICKER, episodes: [[[groupIn, 3], [groupOut, 3], [entry, 1], [exit, 1]]] },
  tailgate: { lanes: 1, defaultS: 300, flicker: NO_FLICKER, episodes: [[[tailgate, 4], [catchDoor, 3], [entry, 2], [exit, 2]]] },
  children: { lanes: 1, defaultS: 300, flicker: NO_FLICKER, episodes: [[[childAlone, 4], [withChild, 4], [entry, 1]]] },
  carts: { lanes: 2, defaultS: 240, flicker: { breaksPerMin: 0, clearsPerS: 1.5 }, episodes: [[[long("cart"), 4], [long("long"), 3], [cartBehind, 2], ...ordinary]] },
  loiter: { lanes: 1, defaultS: 480, flicker: NO_FLICKER, episodes: [[[loiterIn, 4], [loiterOut, 3], [loiterPast, 2], ...ordinary]] },
  "wrong-way": { lanes: 1, defaultS: 360, flicker: NO_FLICKER, episodes: [[[slipIn, 4], ...ordinary]] },
  forced: { lanes: 1, defaultS: 420, flicker: NO_FLICKER, episodes: [[[forced, 4], [denied, 2], ...ordinary]] },
  "held-open": { lanes: 1, defaultS: 420, flicker: NO_FLICKER, episodes: [[[heldOpen, 3], ...ordinary]] },
  emergency: { lanes: 2, defaultS: 420, flicker: NO_FLICKER, episodes: [[[emergencyMid, 3], ...ordinary], ordinary] },
  flicker: { lanes: 2, defaultS: 240, flicker: { breaksPerMin: 8, clearsPerS: 1.5 }, episodes: [[...ordinary, [groupIn, 1], [tailgate, 1]]] },
};

export const GATE_SCENARIO_NAMES = Object.keys(GATE_SCENARIOS);
