import type { BundleSlot } from "../bundle-slot";
import { Ota } from "../../firmware/core/ota-records";

/*
 * The second slot as a SPIFFS file, on both chips: the ESP8266 opens files with file.open, the
 * ESP32 (dev-esp32) with io.open, whose handles have the same methods. The switch is init.lua's
 * (tools/build/ota-loaders.ts), at the next boot, as Espruino's is .boot0's: aisle-APP.lua
 * becomes aisle-APP.old and the slot aisle-APP.lua, the names `aisle flash` uploads.
 */

/** A file handle, as both chips' have it (methods called with a colon). */
export interface SlotFile {
  read(bytes: number): string | undefined;
  /** true (ESP8266) or the handle (ESP32); undefined when the write failed. */
  write(data: string): unknown;
  close(): unknown;
}

/** The file module's functions the slot uses: the ESP8266's file module itself; on the ESP32, io.open beside its file module. */
export interface NodemcuFiles {
  open(this: void, name: string, mode: string): SlotFile | undefined;
  remove(this: void, name: string): void;
}

/** The slot for target ("BOARD/APP"). */
export function nodemcuBundleSlot(target: string, files: NodemcuFiles): BundleSlot {
  return {
    target: target,
    erase(): void {
      files.remove(Ota.SLOT);
    },
    write(offset: number, data: string): boolean {
      // Appended: the firmware writes in order. A write SPIFFS lost, or one a power cut left behind, is found by the digest at commit.
      const f = files.open(Ota.SLOT, offset === 0 ? "w" : "a");
      const ok = f !== undefined && f.write(data) !== undefined;
      if (f !== undefined) {
        f.close();
      }
      return ok;
    },
    /* In pieces of 1 KB, a few SPIFFS pages: the bundle is never whole in the heap. */
    digest(size: number): string {
      const f = files.open(Ota.SLOT, "r");
      if (f === undefined) {
        return "";
      }
      const hash = crypto.new_hash("SHA256");
      let n = 0;
      let piece = f.read(1024);
      while (piece !== undefined) {
        hash.update(piece);
        n = n + piece.length;
        piece = f.read(1024);
      }
      f.close();
      const digest = hash.finalize();
      return n === size ? digest : "";
    },
  };
}
