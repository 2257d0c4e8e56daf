import type { BoardConstants } from "../board";
import type { BundleSlot } from "../bundle-slot";
import type { OnlineGateHal } from "../hal";
import { nodemcuGateIo } from "./gate-io";
import { nodemcuHmac } from "./hmac";
import { nodemcuMqttLink } from "./mqtt-link";
import { nodemcuSystem } from "./system";
import { nodemcuBundleSlot } from "./bundle-slot";
import { joinWifi } from "./wifi";

export function nodemcuOnlineGateHal(board: BoardConstants): OnlineGateHal {
  const io = nodemcuGateIo(board);
  // The slot's name, not the board: the closure below lives as long as the app, and would keep the board's tables (1.4 KB of Lua heap) with it.
  const name = board.id + "/gate";
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, store: io.store, link: io.link, log: io.log,
    mqtt: nodemcuMqttLink(), hmac: nodemcuHmac(), system: nodemcuSystem(joinWifi),
    // Loaded at each call (tools/build/lua-modules.ts): no slot code stays in the heap.
    slot: (): BundleSlot => nodemcuBundleSlot(name, file),
  };
}
