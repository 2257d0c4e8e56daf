/*
 * Flashes an aisle bundle, and the device's record, to an Espruino board through EspruinoTools,
 * over a serial port or tcp://host:port (what `aisle flash` wraps).
 *
 * How a board never ends up half-written: nothing the board boots from is touched until every
 * file is on the board and checked.
 *
 * 1. connect: EspruinoTools connects and reads process.env; the board must be the board file's chip.
 * 2. upload: reset() (the running app stops, as EspruinoTools does before every upload), then the
 *    files go to Storage under temporary names, the bundle as "aisle.new" and the record as
 *    "device.new", plus the boot guard ".boot1" (one line: written whole or not at all).
 * 3. verify: the board reads each file back and returns E.CRC32 and its length, compared with the
 *    host's CRC-32 of the bytes sent. A failure here, or a connection lost before, leaves .bootcde,
 *    "device" and aisle.v as they were: the temporary files are erased and the old app restarted
 *    when the connection still stands, and otherwise erased by the next flash.
 * 4. reset: one line switches over on the board, without the host: under a marker file, the
 *    record is put in place and the installer run from flash (it writes .bootcde), then the marker
 *    goes and load() boots the new app (tools/flash/espruino-flash-reset.ts checks it, then
 *    E.reboot() and checks again).
 *
 * Why a marker and a guard rather than a rename: Espruino has no atomic rename, and the installer
 * writes .bootcde in place, chunk by chunk, so a power cut mid-install would leave half an app
 * that Espruino would run at every boot. The guard in .boot1 runs before .bootcde at every boot;
 * while the marker is there it erases the half-written app and says the board is unflashed.
 * Running the installer from flash, rather than typed in, also keeps its text out of RAM (26 KB
 * on MQTT: more than an ESP8266 has).
 *
 * The device record never reaches a log: EspruinoTools is muted while it is written, and the
 * record's forms are redacted from everything else (its log, the board's output, errors).
 */
import { crc32 } from "node:zlib";
import { loadBoard, type BoardFile } from "../build/board-file.ts";
import { bundleFileName } from "../build/build.ts";
import type { AppName } from "../build/entry.ts";
import { ABANDON_CODE, checksumExpression, GUARD_CODE, GUARD_FILE, installerVersion, TEMP_BUNDLE, TEMP_RECORD } from "./espruino-flash-code.ts";
import { resetAndCheck } from "./espruino-flash-reset.ts";
import { EspruinoToolsSession } from "./espruino-tools-session.ts";
import { FlashError, type FlashProgress } from "./flash-types.ts";
import { secretRedactor } from "./redact-secret.ts";

export interface EspruinoFlashOptions {
  /** A board id or path, or the loaded board file; an Espruino board. */
  board: string | BoardFile;
  app: AppName;
  /** "tcp://host:port", or a serial port's path. */
  port: string;
  /** The bundle `aisle build` made (an installer), or any JavaScript to boot. */
  bundle: string;
  /** The CBOR "device" record (docs/mqtt.md), written to Storage as "device". */
  deviceRecord?: Buffer;
  onProgress?: FlashProgress;
  /** EspruinoTools' log, the device record redacted (for --verbose). */
  onLog?: (line: string) => void;
  /** Serial ports only (default 115200). */
  baudRate?: number;
  /** How long to watch the console after each restart for an app that fails (default 1500 ms). */
  bootWatchMs?: number;
  /** Power-cycle with E.reboot() after the switch-over and check again (default true). */
  reboot?: boolean;
  /** How long to keep trying to reconnect when the reboot drops a TCP console (default 30 s). */
  reconnectMs?: number;
}

export interface FlashedFile {
  /** As the user knows it: the bundle's name, "device", or the guard. */
  file: string;
  /** Where it waited on the board while it was checked. */
  storage: string;
  bytes: number;
  crc32: number;
}

export interface EspruinoFlashResult {
  /** process.env.BOARD and VERSION, as the board said. */
  board: string;
  version: string;
  /** The installer's version now in aisle.v, or undefined for a bundle that is the app itself. */
  appVersion: string | undefined;
  files: FlashedFile[];
  /** What the board's code printed after each restart, a line each (the device record redacted). */
  bootLines: string[];
  /** The same lines, joined by "\n". */
  bootOutput: string;
}

interface Upload extends FlashedFile {
  data: string;
  secret: boolean;
}

const hex = (n: unknown) => (typeof n === "number" ? `0x${n.toString(16).padStart(8, "0")}` : String(n));

export async function flashEspruino(o: EspruinoFlashOptions): Promise<EspruinoFlashResult> {
  const board = typeof o.board === "string" ? loadBoard(o.board) : o.board;
  if (board.platform !== "espruino") throw new Error(`flashEspruino: ${board.id} is a ${board.platform} board`);
  if (typeof o.bundle !== "string" || o.bundle.trim() === "") throw new Error("flashEspruino: the bundle is empty");
  const label = bundleFileName(board, o.app);
  const file = (name: string, storage: string, data: string, secret = false): Upload => ({ file: name, storage, data, secret, bytes: data.length, crc32: crc32(Buffer.from(data, "latin1")) });
  const uploads = [file(GUARD_FILE, GUARD_FILE, GUARD_CODE), file(label, TEMP_BUNDLE, Buffer.from(o.bundle, "utf8").toString("latin1"))];
  if (o.deviceRecord !== undefined) uploads.push(file("device", TEMP_RECORD, o.deviceRecord.toString("latin1"), true));
  const redact = secretRedactor(o.deviceRecord);
  const progress: FlashProgress = o.onProgress ?? (() => {});
  const version = installerVersion(o.bundle);
  return EspruinoToolsSession.run(o.port, { log: o.onLog && ((l) => o.onLog!(redact(l))), baudRate: o.baudRate }, async (s) => {
    progress("connect", 0, 1);
    try {
      await s.open();
    } catch (e) {
      throw new FlashError("connect", undefined, "unchanged", (e as Error).message);
    }
    const env = s.env;
    const boardName = String(env.BOARD ?? "");
    // Espruino's own Linux build (espruino --telnet) is the real interpreter without a chip: taken
    // for any Espruino board, to check a bundle and this flasher off hardware (README, "Flashing").
    if (!boardName.startsWith(board.mcu === "esp32" ? "ESP32" : "ESP8266") && boardName !== "LINUX") {
      throw new FlashError("connect", undefined, "unchanged", `${o.port} is ${boardName === "" ? "not an Espruino board that says what it is (process.env.BOARD)" : `an Espruino ${boardName}`}, not the ${board.mcu.toUpperCase()} of ${board.id}`);
    }
    progress("connect", 1, 1);

    const codes = uploads.map((u) => s.uploadCode(u.storage, u.data));
    codes[0] = `require("Storage").erase(${JSON.stringify(TEMP_BUNDLE)});require("Storage").erase(${JSON.stringify(TEMP_RECORD)})\n${codes[0]}`;
    const total = codes.reduce((a, c) => a + c.length, 0);
    let sent = 0;
    for (let i = 0; i < uploads.length; i++) {
      try {
        // EspruinoTools counts the bytes of what it sends (its own framing included): as a share of this file's code.
        const share = (done: number, of: number) => progress("upload", sent + Math.floor((codes[i].length * done) / Math.max(1, of)), total);
        await s.write(codes[i] + "\n", { reset: i === 0, secret: uploads[i].secret, onBytes: share });
      } catch (e) {
        throw new FlashError("upload", uploads[i].file, "unchanged", `${(e as Error).message} (Storage "${uploads[i].storage}")`);
      }
      sent += codes[i].length;
    }

    for (let i = 0; i < uploads.length; i++) {
      const u = uploads[i];
      const fail = async (detail: string): Promise<never> => {
        if (s.connected) await s.write(ABANDON_CODE + "\n").catch(() => {});
        throw new FlashError("verify", u.file, "unchanged", `${detail} (Storage "${u.storage}")`);
      };
      let read: unknown;
      try {
        read = await s.expression(checksumExpression(u.storage));
      } catch (e) {
        return fail((e as Error).message);
      }
      if (!Array.isArray(read)) return fail("the board did not answer with the file's CRC32");
      if (read[0] !== u.crc32 || read[1] !== u.bytes) {
        return fail(`the board read back ${read[1] === -1 ? "no file" : `${String(read[1])} bytes, CRC32 ${hex(read[0])}`}, where ${u.bytes} bytes with CRC32 ${hex(u.crc32)} were sent`);
      }
      progress("verify", i + 1, uploads.length);
    }

    const bootLines = await resetAndCheck(s, {
      file: label, version, bootWatchMs: o.bootWatchMs ?? 1500, reboot: o.reboot ?? true, reconnectMs: o.reconnectMs ?? 30000, progress, redact,
    });
    return {
      board: boardName, version: String(env.VERSION ?? ""), appVersion: version, bootLines, bootOutput: bootLines.join("\n"),
      files: uploads.map((u) => ({ file: u.file, storage: u.storage, bytes: u.bytes, crc32: u.crc32 })),
    };
  });
}
