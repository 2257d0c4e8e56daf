import { encodeCalibrationRecord, linearCell } from "../../firmware/core/calibration.ts";
import { encodeLanes } from "../../firmware/core/shelf-config.ts";
import type { DetectedEvent } from "../score.ts";
import type { ConstantOptions } from "../../tools/build/board-file.ts";
import type { ShelfHeader } from "../trace/trace-stream.ts";
import type { GateTrace, Trace } from "../trace/trace-types.ts";

/** What a runner needs to know of a trace before its samples: the whole of a gate trace, a shelf trace's header. */
export type TraceHead = ShelfHeader | GateTrace;

/**
 * What the device's Store holds when a replay starts: the trace's calibration and lanes, written
 * with the firmware's own encoder, as a technician's calibration would have left them.
 */
export function storeSeed(trace: Trace | TraceHead): Map<string, string> {
  const store = new Map<string, string>();
  if (trace.kind !== "shelf") return store;
  store.set("cal.a", encodeCalibrationRecord({ seq: 1, cells: trace.channels.map((c) => linearCell(c.offset, c.gramsPerCount)) }));
  store.set("lanes", encodeLanes(trace.lanes.map((l) => ({ id: l.id, cells: l.channels, unitG: l.unitG ?? 0, sku: l.sku ?? "" }))));
  return store;
}

/**
 * What the replay board needs beyond the real board: more cells or gate lanes, and for a shelf
 * the cells' rate of the trace (a 10 SPS trace on a board wired for 80 SPS would come in
 * batches of eight 100 ms samples).
 */
export function replayShape(trace: Trace | TraceHead, boardCells: number, boardGateLanes: number, boardRateSps: number): ConstantOptions {
  if (trace.kind === "gate") return trace.lanes.length > boardGateLanes ? { gateLanes: trace.lanes.length } : {};
  // As many cells as the trace has channels: the device's calibration record holds one a cell, and it refuses a record for another number of cells.
  const shape: ConstantOptions = trace.channels.length !== boardCells ? { cells: trace.channels.length } : {};
  if (trace.rateHz !== boardRateSps) shape.rateSps = trace.rateHz;
  return shape;
}

/** Splits what the firmware printed into published events and log lines ("@TOPIC PAYLOAD" vs the rest). */
export function parseConsole(lines: string[], errors: string[]): { events: DetectedEvent[]; payloads: string[]; health: Record<string, unknown>[]; log: string[] } {
  const events: DetectedEvent[] = [];
  const health: Record<string, unknown>[] = [];
  const payloads: string[] = [];
  const log: string[] = [];
  for (const line of lines) {
    if (!line.startsWith("@")) {
      log.push(line);
      continue;
    }
    const space = line.indexOf(" ");
    const topic = line.slice(1, space);
    const payload = line.slice(space + 1);
    try {
      if (topic.endsWith("/health")) {
        health.push(JSON.parse(payload) as Record<string, unknown>);
        continue;
      }
      if (!topic.endsWith("/event")) continue;
      events.push(JSON.parse(payload) as DetectedEvent);
      payloads.push(payload);
    } catch {
      errors.push(`the firmware published a payload that is not JSON: ${payload.slice(0, 120)}`);
    }
  }
  return { events, payloads, health, log };
}
