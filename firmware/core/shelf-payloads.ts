/*
 * The shelf's MQTT payloads (docs/mqtt.md), in CBOR. Grams and confidence are rounded to the
 * hundredth, as the serial JSON has them, so every target sends the same float. The app imports
 * these lazily on NodeMCU (tools/build/lua-modules.ts): they, and the CBOR writer, hold Lua heap
 * only while a message is being made.
 */
import { CborWriter } from "./cbor-writer";
import { FAULT_KINDS, faultName } from "./cell-filter";
import { round } from "./math";
import { PROTOCOL_VERSION } from "./protocol";
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

/**
 * Periodic health. faults holds FAULT_KINDS slots a cell: the fault active now (0: none), then
 * how often each kind happened since boot.
 */
export function shelfPeriodicHealth(t: Telemetry, nowMs: number, free: number, rejected: number, faults: number[]): string {
  const w = new CborWriter().map(11).text("v").int(PROTOCOL_VERSION).text("dev").text(t.dev).text("boot").int(t.boot)
    .text("kind").text("periodic").text("t_ms").int(Math.floor(nowMs)).text("uptime_s").int(Math.floor(nowMs / 1000))
    .text("free").int(free).text("outbox").int(t.queued()).text("outbox_dropped").int(t.dropped()).text("rejected").int(rejected)
    .text("faults").array(faults.length / FAULT_KINDS);
  for (let at = 0; at < faults.length; at = at + FAULT_KINDS) {
    w.map(FAULT_KINDS).text("now").text(faultName(faults[at]));
    for (let kind = 1; kind < FAULT_KINDS; kind++) {
      w.text(faultName(kind)).int(faults[at + kind]);
    }
  }
  return w.done();
}

/** A batch of raw samples on the raw topic, while streaming. */
export function rawSamples(cell: number, tMs: number, counts: number[], n: number): string {
  const w = new CborWriter().map(4).text("v").int(PROTOCOL_VERSION).text("cell").int(cell).text("t_ms").int(Math.floor(tMs)).text("counts").array(n);
  for (let i = 0; i < n; i++) {
    w.int(counts[i]);
  }
  return w.done();
}
