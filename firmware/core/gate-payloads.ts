/*
 * The gate's MQTT payloads (docs/mqtt.md, "Gate"), in CBOR. Passages and door alarms go on
 * `event`, the lanes' health (emergency, lock_fault) and refused admissions on `health`, all
 * through the outbox with (dev, boot, seq); periodic health goes straight out at QoS 0. The MQTT
 * app imports this module lazily (tools/build/lua-modules.ts): the CBOR writer is loaded with a
 * payload, not kept. The kinds of event a lane counts are in gate-events.ts, which the app keeps.
 */
import { CborWriter } from "./cbor-writer";
import { EMERGENCY_EVENT, LOCK_FAULT } from "./gate-events";
import { formatInt } from "./format";
import { round } from "./math";
import { PROTOCOL_VERSION, type Telemetry } from "./telemetry";

/** laneState() as a word. */
function laneStateName(state: number): string {
  return state === 0 ? "idle" : state === 1 ? "admitted" : state === 2 ? "passing" : state === 3 ? "passed" : "relocked";
}

/** The lanes' ids are "G1", "G2", ...: the index of `id` among `lanes` lanes, or -1. */
export function gateLaneIndex(id: string, lanes: number): number {
  const n = Number(id.slice(1));
  // Written back and compared, so that "G01" or "G1.0" is no lane on any runner.
  return id.charAt(0) === "G" && n >= 1 && n <= lanes && Math.floor(n) === n && "G" + formatInt(n) === id ? n - 1 : -1;
}

/**
 * An event {v, dev, boot, seq, type, lane, t_ms} on `event`, or on `health` for the emergency
 * input and a lock fault {v, dev, boot, seq, kind: "gate", type, lane, t_ms}: as the serial
 * build's topics (docs/gate.md, "Events").
 */
export function sendGateEvent(t: Telemetry, type: string, laneId: string, tMs: number): void {
  const health = type === EMERGENCY_EVENT || type === LOCK_FAULT;
  const w = t.begin(health ? 4 : 3);
  if (health) {
    w.text("kind").text("gate");
  }
  t.send(health ? "health" : "event", w.text("type").text(type).text("lane").text(laneId).text("t_ms").int(round(tMs)));
}

/**
 * Periodic health: {v, dev, boot, kind: "periodic", t_ms, uptime_s, free, outbox, outbox_dropped,
 * rejected, lanes: [state]}.
 */
export function gatePeriodicHealth(t: Telemetry, nowMs: number, free: number, rejected: number, states: number[]): string {
  const w = new CborWriter().map(11).text("v").int(PROTOCOL_VERSION).text("dev").text(t.dev).text("boot").int(t.boot)
    .text("kind").text("periodic").text("t_ms").int(Math.floor(nowMs)).text("uptime_s").int(Math.floor(nowMs / 1000))
    .text("free").int(free).text("outbox").int(t.queued()).text("outbox_dropped").int(t.dropped()).text("rejected").int(rejected)
    .text("lanes").array(states.length);
  for (let i = 0; i < states.length; i++) {
    w.text(laneStateName(states[i]));
  }
  return w.done();
}

export { laneStateName };
