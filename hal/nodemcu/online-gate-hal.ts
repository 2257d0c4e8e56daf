import type { BoardConstants } from "../board";
import type { BundleSlot } from "../bundle-slot";
import type { OnlineGateHal } from "../hal";
import { nodemcuGateIo } from "./gate-io";
import { nodemcuHmac } from "./hmac";
import { nodemcuMqttLink } from "./mqtt-link";
import { nodemcuSystem } from "./system";
import { nodemcuBundleSlot } from "./bundle-slot";
import { nodemcuFileStore } from "./file-store";

export function nodemcuOnlineGateHal(board: BoardConstants): OnlineGateHal {
  const io = nodemcuGateIo(board);
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, store: io.store, link: io.link, log: io.log,
    mqtt: nodemcuMqttLink(), hmac: nodemcuHmac(), system: nodemcuSystem(),
    // Loaded at each call (tools/build/lua-modules.ts): no slot code stays in the heap.
    slot: (): BundleSlot => nodemcuBundleSlot(board.id + "/gate", file, nodemcuFileStore()),
  };
}
