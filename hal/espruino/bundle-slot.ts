import type { BundleSlot } from "../bundle-slot";
import { Ota } from "../../firmware/core/ota-records";
import { espruinoSha256 } from "./hmac";

/*
 * The second slot as a Storage file, created at its full size by the first write, as Espruino's
 * Storage does (flash is written once between erases: each byte is written once, in order). The
 * switch happens at the next boot, in .boot0 (tools/build/ota-loaders.ts), before .bootcde runs:
 * the running app's functions live in .bootcde's flash, so it is never rewritten while they run.
 */
export function espruinoBundleSlot(target: string): BundleSlot {
  const storage = require("Storage");
  return {
    target: target,
    erase(): void {
      storage.erase(Ota.SLOT);
    },
    write(offset: number, data: string, size: number): boolean {
      return offset === 0 ? storage.write(Ota.SLOT, data, 0, size) : storage.write(Ota.SLOT, data, offset);
    },
    /* Storage.read gives the file where it lies in flash (no copy into RAM), and SHA-256 reads it in place, natively where the build has it. */
    digest(size: number): string {
      const data = storage.read(Ota.SLOT);
      return data !== undefined && data.length === size ? espruinoSha256()(data) : "";
    },
  };
}
