import type { BundleSlot } from "../bundle-slot";
import { nodemcuBundleSlot } from "../nodemcu/bundle-slot";
import { Esp32IoStore } from "./io-store";

/** The ESP32's second slot: dev-esp32's files go through Lua's io. target is "BOARD/APP". */
export function esp32BundleSlot(target: string): BundleSlot {
  return nodemcuBundleSlot(target, {
    open: (name: string, mode: string) => io.open(name, mode),
    rename: (from: string, to: string): boolean => file.rename(from, to),
    exists: (name: string): boolean => file.exists(name),
    remove: (name: string): void => file.remove(name),
  }, new Esp32IoStore());
}
