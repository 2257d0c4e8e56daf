/*
 * The Store records an update goes through (docs/ota.md), shared by the firmware, the ports'
 * bundle slots and the boot loaders that are not part of any bundle (Espruino's .boot0 and
 * NodeMCU's init.lua, written by tools/build/ota-loaders.ts), and the protocol's limits. They
 * are files: Storage files on Espruino, SPIFFS files on NodeMCU. A const enum: both compilers put
 * the values into the code, so no module object is left on the device.
 */
export const enum Ota {
  /** The second slot: the new bundle as it arrives. */
  SLOT = "ota.new",
  /** The transfer under way: the 32-byte signature, then "NEXT SIZE VERSION" (the bytes the slot holds in order, the bundle's size, its version). */
  SESSION = "ota.s",
  /**
   * The switch-over and trial, "STATE VERSION": "s" the slot is checked and the switch is due
   * (Espruino's .boot0 copies it in at the next boot), "c" the previous bundle is saved and the
   * copy is under way (Espruino), "t" the new bundle is in place and boots next on trial, "r" it
   * is running on trial. The app erases it once healthy; a loader that finds "r" at boot, or still
   * at the deadline, restores the previous bundle.
   */
  TRIAL = "ota.t",
  /** Written by a loader that rolled back, "REASON VERSION" (crash, timeout, reboot), for the restored app to report. */
  RESULT = "ota.r",
  /** How long a bundle on trial has to report healthy before its loader restores the previous one. */
  TRIAL_MS = 60000,
  /** The largest bundle the protocol takes: today's are 20-65 KB. */
  MAX_BUNDLE_BYTES = 131072,
  /** The most bytes one ota_chunk carries: with the envelope a command stays under its 1,000 bytes. */
  MAX_CHUNK_BYTES = 768,
}
