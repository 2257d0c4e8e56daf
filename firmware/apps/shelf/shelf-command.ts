import type { BundleSlot } from "../../../hal/bundle-slot";
import type { Clock } from "../../../hal/clock";
import type { Hmac } from "../../../hal/hmac";
import type { Store } from "../../../hal/store";
import type { System } from "../../../hal/system";
import type { CalibrationSession } from "../../core/calibration-session";
import { monitorOf } from "../../core/cell-monitor";
import { handleShelfCommand, type ShelfDevice } from "../../core/shelf-commands";
import { pipelineCal, reconfigured } from "../../core/pipeline-setup";
import { Pipe, type ShelfPipeline } from "../../core/shelf-pipeline";
import type { Telemetry } from "../../core/telemetry";

const REBOOT_DELAY_MS = 300;

/*
 * What the shelf on MQTT keeps between commands (online.ts), in one array, these its slots: its
 * closures each hold the array rather than a dozen upvalues of 24 bytes in NodeMCU's heap.
 */
export const enum App {
  PIPELINE = 0,
  /** The monitor's state (cell-monitor.ts), and the faults' array (online.ts). */
  MONITOR = 1,
  FAULTS = 2,
  HEALTH_PERIOD_S = 3,
  /** Commands refused since boot. */
  REJECTED = 4,
  /** Raw samples go out for batches that end before this (-1: none). */
  STREAM_UNTIL_MS = 5,
  STORE = 6,
  HMAC = 7,
  KEY = 8,
  TELEMETRY = 9,
  CLOCK = 10,
  SYSTEM = 11,
  /** The second slot bundle updates go through (the HAL's factory). */
  SLOT = 12,
  /** A calibration under way, or undefined: last, so that it leaves no hole in the array. */
  SESSION = 13,
}

export type ShelfApp = [ShelfPipeline, number[], number[], number, number, number, Store, Hmac, string, Telemetry, Clock, System, () => BundleSlot, CalibrationSession | undefined];

/**
 * A command (shelf-commands.ts) on the shelf the app keeps: the command gets a ShelfDevice made
 * for it, and the app takes back what the command changed. NodeMCU imports this lazily
 * (tools/build/lua-modules.ts): the device, its closures and the conversions hold heap only while
 * a command runs (docs/lua-heap.md).
 */
export function shelfCommand(app: ShelfApp, payload: string): void {
  const clock = app[App.CLOCK];
  const session = app[App.SESSION];
  // A session's calibration is the pipeline's (both change together, at commit and rollback): no second copy while one is open.
  const cal = session === undefined ? pipelineCal(app[App.PIPELINE]) : session.calibration();
  const d: ShelfDevice = {
    store: app[App.STORE], hmac: app[App.HMAC], key: app[App.KEY], telemetry: app[App.TELEMETRY], cal: cal,
    session: session, monitor: monitorOf(app[App.MONITOR]), lanes: app[App.PIPELINE][Pipe.CONFIG],
    healthPeriodS: app[App.HEALTH_PERIOD_S], rejected: app[App.REJECTED],
    nowMs: (): number => clock.nowMs(),
    reconfigure: (): void => {
      app[App.PIPELINE] = reconfigured(app[App.PIPELINE], d.cal, d.lanes);
    },
    streamFor: (secs: number): void => {
      app[App.STREAM_UNTIL_MS] = clock.nowMs() + secs * 1000;
    },
    reboot: (): void => {
      clock.after(REBOOT_DELAY_MS, (): void => app[App.SYSTEM].reboot());
    },
    slot: app[App.SLOT],
  };
  handleShelfCommand(d, payload);
  app[App.SESSION] = d.session;
  app[App.HEALTH_PERIOD_S] = d.healthPeriodS;
  app[App.REJECTED] = d.rejected;
}
