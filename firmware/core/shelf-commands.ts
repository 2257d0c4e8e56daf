/*
 * The shelf's command set (docs/mqtt.md, "Commands"). A command is opened (shape, device, MAC,
 * deadline, counter), its fields are all read and checked, and only then does it act. A command
 * refused before it acts changes nothing, its counter included; one that is authentic and
 * well-formed uses up its counter even when the plate was not still, so it cannot be replayed
 * later. Every reply carries the command's id; every committed change is audited with the
 * technician's name.
 */
import type { BundleSlot } from "../../hal/bundle-slot";
import type { Hmac } from "../../hal/hmac";
import type { Store } from "../../hal/store";
import type { CellCal } from "./calibration";
import { CalibrationSession } from "./calibration-session";
import type { CellMonitor } from "./cell-monitor";
import { CborWriter } from "./cbor-writer";
import { CTR_RECORD, lastCounter, openCommand, replyHead, type OpenedCommand } from "./command-envelope";
import { formatInt } from "./format";
import { round } from "./math";
import { handleOtaCommand } from "./ota-commands";
import { encodeLanes, type LaneConfig } from "./shelf-config";
import { SHOW_FIELDS, showReply } from "./shelf-show";
import type { Telemetry } from "./telemetry";

const MAX_GRAMS = 100000;
export const MAX_STREAM_S = 600;

/** What a command may touch; the app owns it. */
export interface ShelfDevice {
  store: Store;
  hmac: Hmac;
  key: string;
  telemetry: Telemetry;
  /** The committed calibration, which the pipeline weighs with. */
  cal: CellCal[];
  /**
   * A calibration under way: made by the first command that stages, and dropped once a commit or
   * rollback has left nothing staged, so that it holds no heap while no technician is at work.
   */
  session: CalibrationSession | undefined;
  monitor: CellMonitor;
  lanes: LaneConfig[];
  healthPeriodS: number;
  /** Commands refused since boot. */
  rejected: number;
  nowMs(): number;
  /** The session's calibration, or the lanes, changed: the pipeline starts again with them. */
  reconfigure(): void;
  streamFor(secs: number): void;
  reboot(): void;
  /** The second slot bundle updates go through (ota-commands.ts). */
  slot(): BundleSlot;
}

function reply(d: ShelfDevice, id: string, ok: boolean, fields: number): CborWriter {
  return replyHead(d.store, d.telemetry.boot, d.nowMs(), id, ok, fields);
}

function refuse(d: ShelfDevice, id: string, error: string, detail: string): void {
  d.rejected++;
  d.telemetry.direct("reply", reply(d, id, false, 2).text("error").text(error).text("detail").text(detail).done(), 1);
}

function audit(d: ShelfDevice, c: OpenedCommand, what: string): void {
  d.telemetry.send("audit", d.telemetry.begin(5).text("tech").text(c.tech).text("cmd").text(c.cmd).text("id").text(c.id)
    .text("t_ms").int(round(d.nowMs())).text("what").text(what));
}

/** The lane whose id is `id`, or -1. */
function laneIndex(lanes: LaneConfig[], id: string): number {
  for (let i = 0; i < lanes.length; i++) {
    if (lanes[i].id === id) {
      return i;
    }
  }
  return -1;
}

/** Sets a lane's unit weight and SKU, in the Store first: a refused write leaves the lane as it was. */
function setLane(d: ShelfDevice, lane: LaneConfig, unitG: number, sku: string): string {
  const oldUnit = lane.unitG;
  const oldSku = lane.sku;
  lane.unitG = unitG;
  lane.sku = sku;
  if (!d.store.write("lanes", encodeLanes(d.lanes))) {
    lane.unitG = oldUnit;
    lane.sku = oldSku;
    return "store_failed";
  }
  return "";
}

function sessionOf(d: ShelfDevice): CalibrationSession {
  if (d.session === undefined) {
    d.session = new CalibrationSession(d.store, d.cal);
  }
  return d.session;
}

/** Acts on a command whose fields all passed; "" or the error name. Fields the reply adds go to w. */
function act(d: ShelfDevice, c: OpenedCommand, cell: number, w: CborWriter): string {
  const f = c.fields;
  const cmd = c.cmd;
  const still = cell >= 0 ? d.monitor.stable(cell, d.nowMs()) : NaN;
  let err = "";
  if (cmd === "tare") {
    err = sessionOf(d).tare(cell, still);
  } else if (cmd === "span") {
    err = sessionOf(d).span(cell, f.num("grams", 1, MAX_GRAMS), still);
  } else if (cmd === "verify") {
    const s = sessionOf(d);
    err = s.verify(cell, f.num("grams", 0, MAX_GRAMS), f.num("tol_g", 0.01, 1000), still);
    w.text("grams").num(round(s.lastGrams * 100) / 100);
  } else if (cmd === "commit" || cmd === "rollback") {
    const s = sessionOf(d);
    err = cmd === "commit" ? s.commit() : s.rollback();
    d.cal = s.calibration();
    if (err === "") {
      // Nothing is staged after either: a session made afresh from d.cal is the same.
      d.session = undefined;
    }
  } else if (cmd === "set_lane") {
    err = setLane(d, d.lanes[laneIndex(d.lanes, f.text("lane", 16))], f.num("unit_g", 0, MAX_GRAMS), f.optionalText("sku", 32));
  } else if (cmd === "config") {
    d.healthPeriodS = f.int("value", 10, 3600);
    err = d.store.write("cfg", formatInt(d.healthPeriodS)) ? "" : "store_failed";
  } else if (cmd === "stream") {
    d.streamFor(f.int("secs", 1, MAX_STREAM_S));
  }
  if (err === "" && (cmd === "commit" || cmd === "rollback" || cmd === "set_lane" || cmd === "config")) {
    d.reconfigure();
    audit(d, c, cmd === "set_lane" ? "lane " + f.text("lane", 16) : cmd === "config" ? "health_period_s" : "calibration");
  }
  return err;
}

/** Reads and checks every field the command takes, before anything acts; returns its cell, -1 for none, -2 for an unknown command. */
function checkFields(d: ShelfDevice, c: OpenedCommand): number {
  const f = c.fields;
  const cmd = c.cmd;
  let cell = -1;
  if (cmd === "tare" || cmd === "span" || cmd === "verify") {
    cell = f.int("cell", 0, d.cal.length - 1);
    if (cmd !== "tare") {
      f.num("grams", cmd === "span" ? 1 : 0, MAX_GRAMS);
    }
    if (cmd === "verify") {
      f.num("tol_g", 0.01, 1000);
    }
  } else if (cmd === "set_lane") {
    if (laneIndex(d.lanes, f.text("lane", 16)) < 0) {
      f.reject("lane");
    }
    f.num("unit_g", 0, MAX_GRAMS);
    f.optionalText("sku", 32);
  } else if (cmd === "config") {
    if (f.text("key", 32) !== "health_period_s") {
      f.reject("key");
    }
    f.int("value", 10, 3600);
  } else if (cmd === "stream") {
    f.int("secs", 1, MAX_STREAM_S);
  } else if (cmd !== "show" && cmd !== "commit" && cmd !== "rollback" && cmd !== "reboot") {
    return -2;
  }
  return cell;
}

export function handleShelfCommand(d: ShelfDevice, payload: string): void {
  const c = openCommand(payload, {
    deviceId: d.telemetry.dev, key: d.key, hmac: d.hmac, nowMs: d.nowMs(), boot: d.telemetry.boot, lastCtr: lastCounter(d.store),
  });
  if (c.error !== "") {
    refuse(d, c.id, c.error, c.detail);
    return;
  }
  if (c.cmd.slice(0, 4) === "ota_") {
    handleOtaCommand(d, c);
    return;
  }
  const cell = checkFields(d, c);
  if (cell === -2 || c.fields.bad !== "") {
    refuse(d, c.id, cell === -2 ? "unknown_cmd" : "bad_field", cell === -2 ? c.cmd : c.fields.bad);
    return;
  }
  if (!d.store.write(CTR_RECORD, formatInt(c.ctr))) {
    refuse(d, c.id, "store_failed", CTR_RECORD);
    return;
  }
  if (c.cmd === "show") {
    d.telemetry.direct("reply", showReply(d, reply(d, c.id, true, SHOW_FIELDS)), 1);
    return;
  }
  const extra = new CborWriter();
  const err = act(d, c, cell, extra);
  const extraFields = c.cmd === "verify" ? 1 : 0;
  const head = err === "" ? reply(d, c.id, true, extraFields) : reply(d, c.id, false, 2 + extraFields).text("error").text(err).text("detail").text(c.cmd);
  if (err !== "") {
    d.rejected++;
  }
  d.telemetry.direct("reply", head.done() + extra.done(), 1);
  if (err === "" && c.cmd === "reboot") {
    d.reboot();
  }
}
