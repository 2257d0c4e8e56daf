/*
 * What an update reports (docs/mqtt.md, "Bundle updates"), through the outbox so that nothing is
 * lost across the reboots an update makes. On health, {v, dev, boot, seq, kind: "ota", event,
 * version, detail, t_ms}: refused (a bundle refused at commit: detail says why), confirmed (the
 * new bundle reported healthy on trial) or rolled_back (its loader restored the previous bundle:
 * detail crash, timeout or reboot). On audit, the technician's commit of a bundle, as every
 * committed change is audited: {v, dev, boot, seq, tech, cmd: "ota_commit", id, t_ms, what:
 * "bundle VERSION"}. One function for both, as each is five pairs.
 */
import { round } from "./math";
import type { Telemetry } from "./telemetry";

/** topic "health": a, b, c are the event, version and detail; "audit": the technician, the command's id, and what. */
export function sendOtaEvent(t: Telemetry, topic: string, a: string, b: string, c: string, nowMs: number): void {
  const health = topic === "health";
  t.send(topic, t.begin(5).text(health ? "kind" : "cmd").text(health ? "ota" : "ota_commit").text(health ? "event" : "tech").text(a)
    .text(health ? "version" : "id").text(b).text(health ? "detail" : "what").text(c).text("t_ms").int(round(nowMs)));
}
