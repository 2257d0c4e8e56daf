/**
 * The second slot an app bundle is updated through (docs/ota.md): a new bundle is written into it
 * in pieces and hashed where it lies (never whole in RAM: a bundle is 20-65 KB, an ESP8266 has
 * 1,700 JsVars or ~44 KB of Lua heap). The switch to it is the boot loader's, at the next boot,
 * once the firmware has written the trial record (Ota.TRIAL, "s VERSION"): the boot loaders are
 * not the app's (Espruino's .boot0, NodeMCU's init.lua: tools/build/ota-loaders.ts) and agree
 * with the firmware through the Store records of firmware/core/ota-records.ts.
 * Espruino: Storage files (hal/espruino/bundle-slot.ts); NodeMCU: SPIFFS files
 * (hal/nodemcu/bundle-slot.ts, hal/nodemcu-esp32/bundle-slot.ts).
 */
export interface BundleSlot {
  /** "BOARD/APP": what a bundle for this device must have been built for (it is signed with it). */
  target: string;
  /** Empties the slot. */
  erase(): void;
  /**
   * Writes data at offset, the slot to hold size bytes in all. Offsets come in order, each
   * where the last write ended (Espruino's flash is written once between erases).
   */
  write(offset: number, data: string, size: number): boolean;
  /** SHA-256 of the slot's bytes, as 32 bytes, read in pieces; "" when it holds other than size bytes. */
  digest(size: number): string;
}
