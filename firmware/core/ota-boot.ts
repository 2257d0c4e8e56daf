/*
 * What an app does at boot for bundle updates (docs/ota.md): it reports a rollback its loader
 * made at this boot, and, when it is itself the new bundle on trial, confirms itself once it is
 * healthy (connected, its online status and its first health out), before its loader's deadline.
 * Imported lazily on NodeMCU (tools/build/lua-modules.ts): a boot not on trial keeps nothing of it.
 */
import type { Clock } from "../../hal/clock";
import type { MqttLink } from "../../hal/mqtt-link";
import type { Store } from "../../hal/store";
import { sendOtaEvent } from "./ota-events";
import { Ota } from "./ota-records";
import type { Telemetry } from "./telemetry";

/** How often a bundle on trial looks whether it is up: well within its loader's deadline (Ota.TRIAL_MS). */
const CHECK_MS = 1000;

export function otaBoot(store: Store, telemetry: Telemetry, link: MqttLink, clock: Clock): void {
  const result = store.read(Ota.RESULT);
  if (result !== undefined) {
    const at = result.indexOf(" ");
    sendOtaEvent(telemetry, "health", "rolled_back", result.slice(at + 1), result.slice(0, at), clock.nowMs());
    store.erase(Ota.RESULT);
  }
  const trial = store.read(Ota.TRIAL);
  if (trial === undefined || trial.slice(0, 2) !== "r ") {
    return;
  }
  const version = trial.slice(2);
  let check = -1;
  // Up means connected, subscribed and "online" published (Telemetry.up); the confirmation goes out as its first health.
  check = clock.every(CHECK_MS, (): void => {
    if (link.isUp()) {
      clock.cancel(check);
      store.erase(Ota.TRIAL);
      sendOtaEvent(telemetry, "health", "confirmed", version, "", clock.nowMs());
    }
  });
}
