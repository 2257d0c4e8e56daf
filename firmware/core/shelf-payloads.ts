/*
 * The shelf's MQTT payloads (docs/mqtt.md), in CBOR. Grams and confidence are rounded to the
 * hundredth, as the serial JSON has them, so every target sends the same float.
 */
import type { CborWriter } from "./cbor-writer";
import { faultName } from "./cell-filter";
import { round } from "./math";
import type { HealthEvent } from "./shelf-pipeline";
import type { ShelfEvent } from "./shelf-event";
import type { Telemetry } from "./telemetry";

function hundredths(x: number): number {
  return round(x * 100) / 100;
}

export function sendShelfEvent(t: Telemetry, e: ShelfEvent): void {
  const w: CborWriter = t.begin(8).text("type").text(e.type).text("lane").text(e.lane)
    .text("t_ms").int(round(e.tMs)).text("t_start_ms").int(round(e.tStartMs)).text("grams").num(hundredths(e.grams))
    .text("count");
  if (e.count < 0) {
    w.nul();
  } else {
    w.int(e.count);
  }
  t.send("event", w.text("confidence").num(hundredths(e.confidence)).text("sku").text(e.sku));
}

export function sendFault(t: Telemetry, h: HealthEvent): void {
  t.send("health", t.begin(6).text("kind").text("fault").text("cell").int(h.cell).text("fault").text(faultName(h.fault))
    .text("active").bool(h.active).text("t_ms").int(round(h.tMs)).text("count").int(h.count));
}
