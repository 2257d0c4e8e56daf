/*
 * The gate's reply to `show`, after v, id, ok, boot, t_ms and ctr: lanes ([{id, state, then a
 * count of each kind of event since boot}]), tokens (admitted tokens remembered), health_period_s,
 * rejected, outbox, outbox_dropped.
 */
import type { CborWriter } from "./cbor-writer";
import type { GateDevice } from "./gate-commands";
import { laneState } from "./gate-lane";
import { GATE_KINDS, gateKindName } from "./gate-events";
import { laneStateName } from "./gate-payloads";

export const GATE_SHOW_FIELDS = 6;

export function gateShow(d: GateDevice, w: CborWriter): string {
  w.text("lanes").array(d.lanes.length);
  for (let i = 0; i < d.lanes.length; i++) {
    w.map(2 + GATE_KINDS).text("id").text("G" + (i + 1)).text("state").text(laneStateName(laneState(d.lanes[i])));
    for (let k = 0; k < GATE_KINDS; k++) {
      w.text(gateKindName(k)).int(d.counts[i * GATE_KINDS + k]);
    }
  }
  return w.text("tokens").int(d.tokens.length).text("health_period_s").int(d.healthPeriodS).text("rejected").int(d.rejected)
    .text("outbox").int(d.telemetry.queued()).text("outbox_dropped").int(d.telemetry.dropped()).done();
}
