import type { BundleSlot } from "../bundle-slot";
import { nodemcuBundleSlot } from "../nodemcu/bundle-slot";

/** The ESP32's second slot: dev-esp32's files go through Lua's io. target is "BOARD/APP". */
export function esp32BundleSlot(target: string): BundleSlot {
  return nodemcuBundleSlot(target, { open: io.open, remove: file.remove });
}
