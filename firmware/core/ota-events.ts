/*
 * What an update reports (docs/mqtt.md, "Bundle updates"), through the outbox so that nothing is
 * lost across the reboots an update makes: on health, {v, dev, boot, seq, kind: "ota", event,
 * version, detail, t_ms} with event accepted (the slot checked out, the switch is under way),
 * refused (a bundle refused: detail says why), confirmed (the new bundle reported healthy on
 * trial) or rolled_back (its loader restored the previous bundle: detail crash, timeout or
 * reboot); and on audit, the technician's commit of a bundle.
 */
import { round } from "./math";
import type { Telemetry } from "./telemetry";

export function sendOtaEvent(t: Telemetry, event: string, version: string, detail: string, nowMs: number): void {
  t.send("health", t.begin(5).text("kind").text("ota").text("event").text(event).text("version").text(version)
    .text("detail").text(detail).text("t_ms").int(round(nowMs)));
}

/** {v, dev, boot, seq, tech, cmd, id, t_ms, what: "bundle VERSION"}, as every committed change is audited. */
export function sendOtaAudit(t: Telemetry, tech: string, cmd: string, id: string, version: string, nowMs: number): void {
  t.send("audit", t.begin(5).text("tech").text(tech).text("cmd").text(cmd).text("id").text(id)
    .text("t_ms").int(round(nowMs)).text("what").text("bundle " + version));
}
