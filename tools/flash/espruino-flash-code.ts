/*
 * The JavaScript a flash sends to an Espruino board besides the files themselves (see
 * tools/flash/espruino-flash.ts for the scheme): the boot guard, the switch-over, and the
 * questions asked of Storage. Each is one line, so the board runs it whole or not at all.
 */

/** Where the files wait until they are verified. */
export const TEMP_BUNDLE = "aisle.new";
export const TEMP_RECORD = "device.new";
/** Present while a switch-over is under way, and after one that did not finish: the board is unflashed. */
export const MARKER = "aisle.unf";
/**
 * Runs at every boot before .bootcde (Espruino 2v29, jsfLoadBootCodeFromFlash runs .boot0 to
 * .boot3 in turn): .boot1, as .boot0 is the bundle updates' loader (tools/build/ota-loaders.ts).
 */
export const GUARD_FILE = ".boot1";
/** The version an aisle installer writes once it has written .bootcde (tools/build/espruino-bundle.ts). */
export const VERSION_FILE = "aisle.v";

/**
 * The boot guard: with the marker present (a switch-over cut short, or a new app that crashed as
 * it booted), the app is erased before Espruino would run it, with its version, so that the
 * installer writes it again next time; the console says why no app runs.
 */
export const GUARD_CODE =
  `(function(S){if(S.read("${MARKER}")===undefined)return;S.erase(".bootcde");S.erase("${VERSION_FILE}");` +
  `print("E aisle: unflashed: a flash did not finish; flash this board again")})(require("Storage"))`;

/** The version an aisle installer bundle installs, or undefined for a bundle that is the app itself. */
export function installerVersion(bundle: string): string | undefined {
  const m = /S\$\.read\("aisle\.v"\)!=="([^"]+)"/.exec(bundle);
  return m === null ? undefined : m[1];
}

/**
 * The switch-over, sent once the files are verified: under the marker, the new device record
 * replaces the old, and the bundle is installed (an installer is run from flash, to write
 * .bootcde; any other bundle becomes .bootcde); then the marker and the bundle go, and load()
 * boots the new app. Cut short (power lost, the installer out of memory), the marker stays.
 */
export function switchCode(installer: boolean): string {
  const install = installer ? `S.erase("${VERSION_FILE}");eval(S.read("${TEMP_BUNDLE}"));` : `S.write(".bootcde",S.read("${TEMP_BUNDLE}"));`;
  return `(function(S){S.write("${MARKER}","1");var d=S.read("${TEMP_RECORD}");if(d!==undefined){S.write("device",d);S.erase("${TEMP_RECORD}")}` +
    `${install}S.erase("${MARKER}");S.erase("${TEMP_BUNDLE}");load()})(require("Storage"))`;
}

/** Erases stale or failed temporary files, and boots the app the board had (after the reset that began the flash). */
export const ABANDON_CODE = `(function(S){S.erase("${TEMP_BUNDLE}");S.erase("${TEMP_RECORD}");load()})(require("Storage"))`;

/** Marks the board unflashed and restarts it: the guard then erases the app. */
export const MARK_UNFLASHED_CODE = `require("Storage").write("${MARKER}","1");load()`;

/** The CRC32 and length of a Storage file as the board reads it ([undefined, -1] when it is missing). */
export function checksumExpression(file: string): string {
  return `(function(s){return [E.CRC32(s),s===undefined?-1:s.length]})(require("Storage").read(${JSON.stringify(file)}))`;
}

export interface BoardStatus {
  unflashed: boolean;
  version: string | null;
  app: boolean;
}

export const STATUS_EXPRESSION =
  `(function(S){return {unflashed:S.read("${MARKER}")!==undefined,version:S.read("${VERSION_FILE}")||null,app:S.read(".bootcde")!==undefined}})(require("Storage"))`;
