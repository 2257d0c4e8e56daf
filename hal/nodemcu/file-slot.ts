import type { BundleSlot } from "../bundle-slot";
import { nodemcuBundleSlot } from "./bundle-slot";
import { nodemcuFileStore } from "./file-store";

/** The ESP8266's second slot: files through file.open (release branch). target is "BOARD/APP". */
export function esp8266BundleSlot(target: string): BundleSlot {
  return nodemcuBundleSlot(target, {
    open: (name: string, mode: string) => file.open(name, mode),
    rename: (from: string, to: string): boolean => file.rename(from, to),
    exists: (name: string): boolean => file.exists(name),
    remove: (name: string): void => file.remove(name),
  }, nodemcuFileStore());
}
