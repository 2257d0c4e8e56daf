import type { BundleSlot } from "../bundle-slot";
import type { Store } from "../store";
import { OTA_SLOT, OTA_TRIAL } from "../../firmware/core/ota-records";

/*
 * The second slot as a SPIFFS file, on both chips: the ESP8266 opens files with file.open, the
 * ESP32 (dev-esp32) with io.open, whose handles have the same methods. The switch is two renames,
 * done here (the app's code is in LFS or already compiled, not read from its file while it runs):
 * aisle-APP.lua becomes aisle-APP.old and the slot becomes aisle-APP.lua, between two trial
 * records, so that init.lua (tools/build/ota-loaders.ts) finds a whole bundle whenever the power
 * is cut. The bundle file's name stays the one `aisle flash` uploads.
 */

/** A file handle, as both chips' have it (methods called with a colon). */
export interface SlotFile {
  read(bytes: number): string | undefined;
  /** true (ESP8266) or the handle (ESP32); undefined when the write failed. */
  write(data: string): unknown;
  seek(whence: string, offset: number): number | undefined;
  close(): unknown;
}

/** What a piece of the slot is read in: one SPIFFS page's worth, several times over. */
const READ_BYTES = 1024;

export interface NodemcuFiles {
  open(name: string, mode: string): SlotFile | undefined;
  rename(from: string, to: string): boolean;
  exists(name: string): boolean;
  remove(name: string): void;
}

/** The slot for target ("BOARD/APP"), whose bundle is aisle-APP.lua. */
export function nodemcuBundleSlot(target: string, files: NodemcuFiles, store: Store): BundleSlot {
  const parts = target.split("/");
  const app = parts[parts.length - 1];
  return {
    target: target,
    erase(): void {
      files.remove(OTA_SLOT);
    },
    write(offset: number, data: string): boolean {
      const f = files.open(OTA_SLOT, offset === 0 ? "w" : "r+");
      if (f === undefined) {
        return false;
      }
      const ok = f.seek("set", offset) === offset && f.write(data) !== undefined;
      // The ESP8266's close returns nothing: a write SPIFFS lost is found by the digest at commit.
      f.close();
      return ok;
    },
    digest(size: number): string {
      const f = files.open(OTA_SLOT, "r");
      if (f === undefined) {
        return "";
      }
      const hash = crypto.new_hash("SHA256");
      let n = 0;
      let piece = f.read(READ_BYTES);
      while (piece !== undefined && piece.length > 0) {
        hash.update(piece);
        n = n + piece.length;
        piece = f.read(READ_BYTES);
      }
      f.close();
      const digest = hash.finalize();
      return n === size ? digest : "";
    },
    activate(version: string): boolean {
      const bundle = "aisle-" + app + ".lua";
      const previous = "aisle-" + app + ".old";
      if (!files.exists(OTA_SLOT) || !files.exists(bundle)) {
        return false;
      }
      files.remove(previous);
      if (!store.write(OTA_TRIAL, "s " + version)) {
        return false;
      }
      if (!files.rename(bundle, previous)) {
        store.erase(OTA_TRIAL);
        return false;
      }
      if (!files.rename(OTA_SLOT, bundle)) {
        files.rename(previous, bundle);
        store.erase(OTA_TRIAL);
        return false;
      }
      // Were this write lost, init.lua would find "s" and no slot: the switch was made, on trial all the same.
      store.write(OTA_TRIAL, "t " + version);
      return true;
    },
  };
}
