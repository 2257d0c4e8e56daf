import type { BoardConstants } from "../../../hal/board";
import type { OnlineShelfHal } from "../../../hal/hal";
import { nextBoot } from "../../core/boot-count";
import { monitorPush, monitorState } from "../../core/cell-monitor";
import { FAULT_KINDS } from "../../core/cell-filter";
import { loadDeviceConfig } from "../../core/device-config";
import { otaBoot } from "../../core/ota-boot";
import { openOutbox } from "../../core/outbox";
import type { ShelfEvent } from "../../core/shelf-event";
import { rawSamples, sendFault, sendShelfEvent, shelfPeriodicHealth } from "../../core/shelf-payloads";
import { cellRates, checkStale, Pipe, pushBatch, type HealthEvent } from "../../core/shelf-pipeline";
import { Telemetry } from "../../core/telemetry";
import { App, shelfCommand, type ShelfApp } from "./shelf-command";
import { storedPipeline } from "./stored-pipeline";

/** The watchdog's period; every other tick is a second of the health period. */
const TICK_MS = 500;
/** Messages the outbox keeps while the broker is away: about an hour of a busy shelf. */
const OUTBOX_CAPACITY = 200;

/** Keeps the faults array (FAULT_KINDS slots a cell: the fault active now, 0 for none, then each kind's count since boot) up to date from a health event. */
function noteFault(faults: number[], h: HealthEvent): void {
  const at = h.cell * FAULT_KINDS;
  if (h.active) {
    faults[at] = h.fault;
  } else if (faults[at] === h.fault) {
    faults[at] = 0;
  }
  faults[at + h.fault] = h.count;
}

/**
 * Boots the shelf controller on MQTT (docs/mqtt.md): events and faults through the outbox,
 * periodic health, signed calibration commands. Without a device config it still weighs, and
 * says why it stays off the network.
 *
 * Between commands the app keeps only what the batches, the timer and the session use, in one
 * array (ShelfApp, shelf-command.ts): the pipeline (which holds the calibration and the lanes),
 * the monitor's and the faults' arrays, a few numbers, the HAL pieces a command uses. A command
 * gets its ShelfDevice made for it (shelf-command.ts): on NodeMCU that object, its closures and the
 * CellCals would otherwise hold Lua heap for good (docs/lua-heap.md).
 */
export function startShelfOnline(hal: OnlineShelfHal, board: BoardConstants): void {
  const cellCount = hal.cells.length;
  // What the closures below use of the HAL: held alone, the rest of it (log, cells) is not kept for good.
  const clock = hal.clock;
  const system = hal.system;
  const config = loadDeviceConfig(hal.store);
  const period = Number(hal.store.read("cfg"));
  const faults: number[] = [];
  for (let i = 0; i < cellCount * FAULT_KINDS; i++) {
    faults.push(0);
  }
  const telemetry = new Telemetry(hal.mqtt, openOutbox(hal.store, OUTBOX_CAPACITY), config.bad === "" ? config.id : board.deviceId, nextBoot(hal.store));
  // The cells' rates, not the board's cells: a closure that kept the board or its pin tables would keep them alive.
  const pipeline = storedPipeline(hal.store, hal.log, cellRates(board.cells), (e: ShelfEvent): void => sendShelfEvent(telemetry, e), (h: HealthEvent): void => {
    noteFault(faults, h);
    sendFault(telemetry, h);
  });
  const app: ShelfApp = [pipeline, monitorState(cellCount), faults, period >= 10 ? period : 60, 0, -1, hal.store, hal.hmac, config.key, telemetry, clock, system, hal.slot, undefined];
  telemetry.onCommand = (payload: string): void => shelfCommand(app, payload);
  // Bundle updates (docs/ota.md): reports a rollback its loader made, and confirms this bundle once up if it is on trial.
  otaBoot(hal.store, telemetry, hal.mqtt, clock);
  const onBatch = (cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void => {
    monitorPush(app[App.MONITOR], cell, mean, variance, n, tLastMs);
    pushBatch(app[App.PIPELINE], cell, counts, n, tLastMs, mean, variance, diffSq);
    if (tLastMs < app[App.STREAM_UNTIL_MS]) {
      telemetry.direct("raw", rawSamples(cell, tLastMs, counts, n), 0);
    }
  };
  for (let i = 0; i < cellCount; i++) {
    hal.cells[i].start(onBatch);
  }
  // One timer for the watchdog and the health period: on NodeMCU each timer is a C object and a callback in the heap.
  let sinceHealthMs = 0;
  let halfSecond = false;
  clock.every(TICK_MS, (): void => {
    checkStale(app[App.PIPELINE], clock.nowMs());
    halfSecond = !halfSecond;
    if (halfSecond) {
      return;
    }
    sinceHealthMs = sinceHealthMs + 1000;
    if (sinceHealthMs >= app[App.HEALTH_PERIOD_S] * 1000) {
      sinceHealthMs = 0;
      telemetry.direct("health", shelfPeriodicHealth(telemetry, clock.nowMs(), system.freeMemory(), app[App.REJECTED], faults), 0);
    }
  });
  if (config.bad !== "") {
    hal.log.error("offline: device config " + config.bad);
    return;
  }
  if (config.wifiSsid !== "") {
    system.joinWifi(config.wifiSsid, config.wifiPass);
  }
  telemetry.start({ host: config.host, port: config.port, clientId: config.id, user: config.user, password: config.pass, keepaliveS: config.keepaliveS, willTopic: "", willPayload: "" });
  hal.log.info("shelf up: " + cellCount + " cells, " + pipeline[Pipe.CONFIG].length + " lanes, device " + config.id + " boot " + telemetry.boot);
}
