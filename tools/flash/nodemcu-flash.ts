/*
 * Flashes a NodeMCU board over its serial REPL, as `aisle flash` does for nodemcu-* boards:
 *   connect  open the port (a plain file: stty, fs.open, tty.ReadStream), bring the REPL to a
 *            prompt, type the helper (nodemcu-lua-helper.ts), turn the UART's echo off so the
 *            files' bytes, the device record's too, do not come back over the line, and remove
 *            temporary files an earlier flash left;
 *   upload   each file under a temporary name, chunk by chunk, each chunk checked on the board;
 *   verify   each file read back from the board's flash and checked whole; a file that differs is
 *            uploaded again, up to `retries` times;
 *   rename   only once every file is there and right: the temporary names over the real ones
 *            (nodemcu-commit.ts has the order that keeps the board as it was or plainly unflashed);
 *   restart  node.restart(), then the boot banner and the REPL answering after init.lua.
 * A failure before rename removes the temporary files and leaves the board as it was. Every
 * failure is a FlashError naming the step and the file. The device record is the file "device"
 * (the Store's record, docs/mqtt.md); its bytes appear in no message and no progress report.
 */
import { loadBoard } from "../build/board-file.ts";
import { commitFiles, restartBoard } from "./nodemcu-commit.ts";
import { FlashError, type FlashFile, type FlashStep } from "./nodemcu-flash-types.ts";
import { HELPER_LINES, MAX_NAME, TEMP_PREFIX, UNFLASHED_MARKER } from "./nodemcu-lua-helper.ts";
import { NodemcuSerial } from "./nodemcu-serial.ts";
import { NodemcuSession } from "./nodemcu-session.ts";
import { uploadFile, verifyFile, type TransferContext, type UploadStats } from "./nodemcu-transfer.ts";

export { FlashError, type BoardState, type FlashFile, type FlashStep } from "./nodemcu-flash-types.ts";

export interface NodemcuFlashOptions {
  /** A NodeMCU board, by id or board file path (nodemcu-esp8266, nodemcu-esp32). */
  board: string;
  /** The serial port: /dev/ttyUSB0, or a virtual board's pty. */
  port: string;
  /** The build's files (init.lua and the app bundle). */
  files: { name: string; bytes: Buffer }[];
  /** The CBOR device record (firmware/core/device-config.ts), written as the file "device". */
  deviceRecord?: Buffer;
  /** Each step's progress: bytes for upload and verify, files for rename. */
  onProgress?: (step: FlashStep, file: string, done: number, total: number) => void;
  /** How often a chunk or a whole file is sent again before the flash fails (default 3). */
  retries?: number;
  /** The console's baud (default 115200, NodeMCU's). */
  baud?: number;
  /** How long to wait for the answer to one line (default 3000 ms). */
  lineTimeoutMs?: number;
  /** How long the board may take to come back after node.restart() (default 15000 ms). */
  bootTimeoutMs?: number;
}

export interface NodemcuFlashReport {
  /** Per file: its bytes, the chunks written (over every upload), the lines sent again, and the uploads (more than 1: it read back wrong). */
  files: { name: string; bytes: number; chunks: number; resent: number; uploads: number }[];
  /** What the board printed between its boot banner and its REPL's first answer. */
  boot: string[];
}

const NAME = /^[A-Za-z0-9._-]+$/;

function checkFiles(files: FlashFile[]): void {
  const seen = new Set<string>();
  for (const f of files) {
    if (!NAME.test(f.name) || f.name.length > MAX_NAME || f.name.startsWith(TEMP_PREFIX) || f.name === UNFLASHED_MARKER) {
      throw new FlashError("connect", f.name, `not a name this flasher writes (letters, digits, . _ -, at most ${MAX_NAME} bytes)`);
    }
    if (seen.has(f.name)) throw new FlashError("connect", f.name, "given twice");
    seen.add(f.name);
  }
}

async function connect(session: NodemcuSession, port: string, baud: number): Promise<void> {
  if (!(await session.resync(3))) throw new FlashError("connect", "", `no NodeMCU REPL answered on ${port}`);
  for (const line of HELPER_LINES) {
    const r = await session.expect((id) => `${line} print("\\35#fl ${id} def")`, "def");
    if (!r.ok) throw new FlashError("connect", "", `the board did not take the flasher's helper: ${r.why}`);
  }
  // Without the uart module the echo stays on; the flash goes on all the same.
  await session.expect((id) => `if uart then uart.setup(0,${baud},8,uart.PARITY_NONE,uart.STOPBITS_1,0) end _af.say(${id},"echo")`, "echo");
  const clean = await session.expect((id) => `_af.clean(${id})`, "clean");
  if (!clean.ok) throw new FlashError("connect", "", `could not remove an earlier flash's temporary files: ${clean.why}`);
}

export async function flashNodemcu(o: NodemcuFlashOptions): Promise<NodemcuFlashReport> {
  const board = loadBoard(o.board);
  if (board.platform !== "nodemcu") throw new FlashError("connect", "", `${board.id} is an ${board.platform} board: flashNodemcu flashes NodeMCU boards`);
  const files: FlashFile[] = [...o.files.map((f) => ({ name: f.name, bytes: f.bytes })), ...(o.deviceRecord ? [{ name: "device", bytes: o.deviceRecord, secret: true }] : [])];
  if (files.length === 0) throw new FlashError("connect", "", "no files to flash");
  checkFiles(files);
  const retries = o.retries ?? 3;
  const baud = o.baud ?? 115200;
  const notify = o.onProgress ?? (() => {});
  // Where the flash is, for a failure that is not a FlashError (the port gone mid-way).
  let at: { step: FlashStep; file: string } = { step: "connect", file: "" };
  const progress = (step: FlashStep, file: string, done: number, total: number) => {
    at = { step, file };
    notify(step, file, done, total);
  };
  progress("connect", "", 0, 1);
  let serial: NodemcuSerial;
  try {
    serial = await NodemcuSerial.open(o.port, baud);
  } catch (e) {
    throw new FlashError("connect", "", (e as Error).message);
  }
  const session = new NodemcuSession(serial, o.lineTimeoutMs ?? 3000);
  const ctx: TransferContext = { session, retries, progress };
  const report: NodemcuFlashReport = { files: [], boot: [] };
  let phase: "before" | "rename" | "restart" = "before";
  let connected = false;
  try {
    await connect(session, o.port, baud);
    connected = true;
    progress("connect", "", 1, 1);
    for (const file of files) {
      const stats: UploadStats = { chunks: 0, resent: 0 };
      let uploads = 0;
      for (;;) {
        uploads++;
        await uploadFile(ctx, file, stats);
        const wrong = await verifyFile(ctx, file);
        if (wrong === undefined) break;
        if (uploads > retries) throw new FlashError("verify", file.name, `${wrong}, after ${uploads} uploads`);
      }
      report.files.push({ name: file.name, bytes: file.bytes.length, chunks: stats.chunks, resent: stats.resent, uploads });
    }
    phase = "rename";
    await commitFiles(ctx, files);
    phase = "restart";
    report.boot = await restartBoard(ctx, serial, session, o.bootTimeoutMs ?? 15000);
    return report;
  } catch (e) {
    // Before rename the board runs what it ran: take the temporary files away too (best effort).
    if (phase === "before" && connected) await session.call((id) => `_af.clean(${id})`, 2000).catch(() => undefined);
    if (e instanceof FlashError) throw e;
    throw new FlashError(at.step, at.file, (e as Error).message, phase === "before" ? "unchanged" : phase === "rename" ? "unknown" : "flashed");
  } finally {
    serial.close();
  }
}
