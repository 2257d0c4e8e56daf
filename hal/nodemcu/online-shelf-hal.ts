import type { BoardConstants } from "../board";
import type { BundleSlot } from "../bundle-slot";
import type { OnlineShelfHal } from "../hal";
import { nodemcuHmac } from "./hmac";
import { nodemcuMqttLink } from "./mqtt-link";
import { nodemcuShelfHal } from "./shelf-hal";
import { nodemcuSystem } from "./system";
import { nodemcuBundleSlot } from "./bundle-slot";
import { joinWifi } from "./wifi";

export function nodemcuOnlineShelfHal(board: BoardConstants): OnlineShelfHal {
  const hal = nodemcuShelfHal(board);
  // The slot's name, not the board: the closure below lives as long as the app, and would keep the board's tables (1.4 KB of Lua heap) with it.
  const name = board.id + "/shelf";
  return {
    clock: hal.clock, cells: hal.cells, store: hal.store, link: hal.link, log: hal.log,
    mqtt: nodemcuMqttLink(), hmac: nodemcuHmac(), system: nodemcuSystem(joinWifi),
    // Loaded at each call (tools/build/lua-modules.ts): no slot code stays in the heap.
    slot: (): BundleSlot => nodemcuBundleSlot(name, file),
  };
}
