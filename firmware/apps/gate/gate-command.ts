import type { BundleSlot } from "../../../hal/bundle-slot";
import type { Clock } from "../../../hal/clock";
import type { Hmac } from "../../../hal/hmac";
import type { Store } from "../../../hal/store";
import type { System } from "../../../hal/system";
import { handleGateCommand, type GateDevice } from "../../core/gate-commands";
import type { GateLane } from "../../core/gate-events";
import { laneAdmit } from "../../core/gate-lane";
import type { Telemetry } from "../../core/telemetry";
import { advanceLanes } from "./gate-lanes";

const REBOOT_DELAY_MS = 300;

/*
 * What the gate on MQTT keeps between commands (online.ts), in one array, these its slots: a
 * GateDevice of 14 fields kept for good was a hash of 16 slots in NodeMCU's heap, beside its
 * closures and their upvalues.
 */
export const enum GApp {
  STORE = 0,
  HMAC = 1,
  KEY = 2,
  TELEMETRY = 3,
  LANES = 4,
  /** Events each lane published since boot (GateDevice.counts). */
  COUNTS = 5,
  /** Tokens admitted whose command may still be valid, and that command's deadline. */
  TOKENS = 6,
  TOKEN_UNTIL_MS = 7,
  HEALTH_PERIOD_S = 8,
  /** Commands refused since boot. */
  REJECTED = 9,
  CLOCK = 10,
  SYSTEM = 11,
  /** The second slot bundle updates go through (the HAL's factory). */
  SLOT = 12,
}

export type GateApp = [Store, Hmac, string, Telemetry, GateLane[], number[], string[], number[], number, number, Clock, System, () => BundleSlot];

/**
 * A command (gate-commands.ts) on the gate the app keeps: the command gets a GateDevice made for
 * it, and the app takes back what the command changed. NodeMCU imports this lazily
 * (tools/build/lua-modules.ts): the device and its closures hold heap only while a command runs.
 */
export function gateCommand(app: GateApp, payload: string): void {
  const clock = app[GApp.CLOCK];
  const lanes = app[GApp.LANES];
  const d: GateDevice = {
    store: app[GApp.STORE], hmac: app[GApp.HMAC], key: app[GApp.KEY], telemetry: app[GApp.TELEMETRY], lanes: lanes, counts: app[GApp.COUNTS],
    tokens: app[GApp.TOKENS], tokenUntilMs: app[GApp.TOKEN_UNTIL_MS], healthPeriodS: app[GApp.HEALTH_PERIOD_S], rejected: app[GApp.REJECTED],
    nowMs: (): number => clock.nowMs(),
    admit: (lane: number, tMs: number): void => {
      advanceLanes(lanes, tMs);
      laneAdmit(lanes[lane], tMs);
    },
    reboot: (): void => {
      clock.after(REBOOT_DELAY_MS, (): void => app[GApp.SYSTEM].reboot());
    },
    slot: app[GApp.SLOT],
  };
  handleGateCommand(d, payload);
  app[GApp.REJECTED] = d.rejected;
}
