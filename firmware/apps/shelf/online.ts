import type { BoardConstants } from "../../../hal/board";
import type { OnlineShelfHal } from "../../../hal/hal";
import { linearCell, type CellCal } from "../../core/calibration";
import { nextBoot } from "../../core/boot-count";
import { loadCalibration } from "../../core/calibration-store";
import { cellMonitor } from "../../core/cell-monitor";
import { FAULT_KINDS } from "../../core/cell-filter";
import { loadDeviceConfig } from "../../core/device-config";
import { openOutbox } from "../../core/outbox";
import { decodeLanes, defaultLanes } from "../../core/shelf-config";
import { handleShelfCommand, type ShelfDevice } from "../../core/shelf-commands";
import type { ShelfEvent } from "../../core/shelf-event";
import { rawSamples, sendFault, sendShelfEvent, shelfPeriodicHealth } from "../../core/shelf-payloads";
import { cellRates, checkStale, pushBatch, shelfPipeline, type HealthEvent, type ShelfPipeline } from "../../core/shelf-pipeline";
import { Telemetry } from "../../core/telemetry";

const WATCHDOG_MS = 500;
/** Messages the outbox keeps while the broker is away: about an hour of a busy shelf. */
const OUTBOX_CAPACITY = 200;
const REBOOT_DELAY_MS = 300;

function raw(cellCount: number): CellCal[] {
  const cal: CellCal[] = [];
  for (let i = 0; i < cellCount; i++) {
    cal.push(linearCell(0, 1));
  }
  return cal;
}

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
 */
export function startShelfOnline(hal: OnlineShelfHal, board: BoardConstants): void {
  const cellCount = hal.cells.length;
  // What the closures below use of the HAL: held alone, the rest of it (log, cells) is not kept for good.
  const clock = hal.clock;
  const system = hal.system;
  const record = loadCalibration(hal.store, cellCount);
  if (record === undefined) {
    hal.log.error("uncalibrated");
  }
  let lanes = decodeLanes(hal.store.read("lanes"), cellCount);
  if (lanes === undefined) {
    lanes = defaultLanes(cellCount);
  }
  const config = loadDeviceConfig(hal.store);
  const period = Number(hal.store.read("cfg"));
  let streamUntilMs = -1;
  let pipeline: ShelfPipeline;
  // Only the cells' rates: the closures below would keep the whole board object, or its pin tables, alive.
  const rates = cellRates(board.cells);
  const faults: number[] = [];
  for (let i = 0; i < cellCount * FAULT_KINDS; i++) {
    faults.push(0);
  }
  const telemetry = new Telemetry(hal.mqtt, openOutbox(hal.store, OUTBOX_CAPACITY), config.bad === "" ? config.id : board.deviceId, nextBoot(hal.store));
  const device: ShelfDevice = {
    store: hal.store, hmac: hal.hmac, key: config.key, telemetry: telemetry,
    cal: record === undefined ? raw(cellCount) : record.cells, session: undefined,
    monitor: cellMonitor(cellCount), lanes: lanes, healthPeriodS: period >= 10 ? period : 60, rejected: 0,
    nowMs: (): number => clock.nowMs(),
    reconfigure: (): void => {
      pipeline = shelfPipeline(device.cal, rates, device.lanes,
        (e: ShelfEvent): void => sendShelfEvent(telemetry, e), (h: HealthEvent): void => {
          noteFault(faults, h);
          sendFault(telemetry, h);
        });
    },
    streamFor: (secs: number): void => {
      streamUntilMs = clock.nowMs() + secs * 1000;
    },
    reboot: (): void => {
      clock.after(REBOOT_DELAY_MS, (): void => system.reboot());
    },
  };
  device.reconfigure();
  telemetry.onCommand = (payload: string): void => handleShelfCommand(device, payload);
  const onBatch = (cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number): void => {
    device.monitor.push(cell, mean, variance, n, tLastMs);
    pushBatch(pipeline, cell, counts, n, tLastMs, mean, variance, diffSq);
    if (tLastMs < streamUntilMs) {
      telemetry.direct("raw", rawSamples(cell, tLastMs, counts, n), 0);
    }
  };
  for (let i = 0; i < cellCount; i++) {
    hal.cells[i].start(onBatch);
  }
  clock.every(WATCHDOG_MS, (): void => checkStale(pipeline, clock.nowMs()));
  let sinceHealthMs = 0;
  clock.every(1000, (): void => {
    sinceHealthMs = sinceHealthMs + 1000;
    if (sinceHealthMs >= device.healthPeriodS * 1000) {
      sinceHealthMs = 0;
      telemetry.direct("health", shelfPeriodicHealth(telemetry, clock.nowMs(), system.freeMemory(), device.rejected, faults), 0);
    }
  });
  if (config.bad !== "") {
    hal.log.error("offline: device config " + config.bad);
    return;
  }
  telemetry.start({ host: config.host, port: config.port, clientId: config.id, user: config.user, password: config.pass, keepaliveS: config.keepaliveS, willTopic: "", willPayload: "" });
  hal.log.info("shelf up: " + cellCount + " cells, " + lanes.length + " lanes, device " + config.id + " boot " + telemetry.boot);
}

