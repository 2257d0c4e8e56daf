import type { BoardConstants } from "../../../hal/board";
import type { OnlineGateHal } from "../../../hal/hal";
import { nextBoot } from "../../core/boot-count";
import { loadDeviceConfig } from "../../core/device-config";
import { GATE_KINDS, gateKind } from "../../core/gate-events";
import { gatePeriodicHealth, sendGateEvent } from "../../core/gate-payloads";
import { otaBoot } from "../../core/ota-boot";
import { openOutbox } from "../../core/outbox";
import { Telemetry } from "../../core/telemetry";
import { laneState } from "../../core/gate-lane";
import { gateCommand, GApp, type GateApp } from "./gate-command";
import { startGateLanes } from "./gate-lanes";

/** Messages the outbox keeps while the broker is away: a busy gate's hour or so. */
const OUTBOX_CAPACITY = 200;

/**
 * Boots the gate controller on MQTT (docs/mqtt.md, "Gate"): the lanes' events through the outbox,
 * admissions as signed single-use tokens, show and reboot, periodic health. Without a device
 * config the lanes still run (locked, but for an emergency), and it says why it stays off the
 * network.
 */
export function startGateOnline(hal: OnlineGateHal, board: BoardConstants): void {
  // What the closures below use of the HAL: held alone, the rest of it (log, lanes' pins) is not kept for good.
  const clock = hal.clock;
  const system = hal.system;
  const config = loadDeviceConfig(hal.store);
  const period = Number(hal.store.read("cfg"));
  const telemetry = new Telemetry(hal.mqtt, openOutbox(hal.store, OUTBOX_CAPACITY), config.bad === "" ? config.id : board.deviceId, nextBoot(hal.store));
  const counts: number[] = [];
  for (let i = 0; i < hal.lanes.length * GATE_KINDS; i++) {
    counts.push(0);
  }
  const lanes = startGateLanes(hal, (laneId: string, type: string, tMs: number): void => {
    const at = (Number(laneId.slice(1)) - 1) * GATE_KINDS + gateKind(type);
    counts[at] = counts[at] + 1;
    sendGateEvent(telemetry, type, laneId, tMs);
  });
  // What commands touch, kept as one array (gate-command.ts); a command's GateDevice is made for it.
  const app: GateApp = [hal.store, hal.hmac, config.key, telemetry, lanes, counts, [], [], period >= 10 ? period : 60, 0, clock, system, hal.slot];
  telemetry.onCommand = (payload: string): void => gateCommand(app, payload);
  // Bundle updates (docs/ota.md): reports a rollback its loader made, and confirms this bundle once up if it is on trial.
  otaBoot(hal.store, telemetry, hal.mqtt, clock);
  let sinceHealthMs = 0;
  clock.every(1000, (): void => {
    sinceHealthMs = sinceHealthMs + 1000;
    if (sinceHealthMs >= app[GApp.HEALTH_PERIOD_S] * 1000) {
      sinceHealthMs = 0;
      const states: number[] = [];
      for (let i = 0; i < lanes.length; i++) {
        states.push(laneState(lanes[i]));
      }
      telemetry.direct("health", gatePeriodicHealth(telemetry, clock.nowMs(), system.freeMemory(), app[GApp.REJECTED], states), 0);
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
  hal.log.info("gate up: " + lanes.length + " lanes, device " + config.id + " boot " + telemetry.boot);
}
