/*
 * One board flashed with one build, whatever its platform: the Espruino flasher (EspruinoTools,
 * tools/flash/espruino-flash.ts) or the NodeMCU one (the serial REPL, tools/flash/nodemcu-flash.ts),
 * behind one call and one kind of progress and failure, for `aisle flash`.
 */
import type { BoardFile } from "../build/board-file.ts";
import { bundleFileName } from "../build/build.ts";
import type { AppName } from "../build/entry.ts";
import { flashEspruino } from "./espruino-flash.ts";
import { FlashError as EspruinoFlashError } from "./flash-types.ts";
import { flashNodemcu, FlashError as NodemcuFlashError } from "./nodemcu-flash.ts";

export interface BoardFlash {
  board: BoardFile;
  app: AppName;
  port: string;
  /** The build's files: the Espruino installer, or init.lua and the Lua bundle. */
  files: Record<string, string>;
  deviceRecord?: Buffer;
  /** step, file (may be ""), done of total. */
  onProgress?: (step: string, file: string, done: number, total: number) => void;
  retries?: number;
}

export interface FlashOutcome {
  files: { name: string; bytes: number }[];
  /** What the board printed as it booted the new app. */
  boot: string[];
}

/** A flash that failed: at which step, on which file, and what the board was left as. */
export class BoardFlashError extends Error {
  constructor(readonly step: string, readonly file: string, readonly boardState: string, message: string) {
    super(message);
    this.name = "BoardFlashError";
  }
}

export async function flashBoard(f: BoardFlash): Promise<FlashOutcome> {
  const progress = f.onProgress ?? (() => {});
  try {
    if (f.board.platform === "espruino") {
      const name = bundleFileName(f.board, f.app);
      const r = await flashEspruino({ board: f.board, app: f.app, port: f.port, bundle: f.files[name], deviceRecord: f.deviceRecord, onProgress: (step, done, total) => progress(step, "", done, total) });
      return { files: r.files.map((x) => ({ name: x.file, bytes: x.bytes })), boot: r.bootOutput.split("\n").filter((l) => l.trim() !== "") };
    }
    const files = Object.entries(f.files).map(([name, text]) => ({ name, bytes: Buffer.from(text, "utf8") }));
    const r = await flashNodemcu({ board: f.board.id, port: f.port, files, deviceRecord: f.deviceRecord, onProgress: progress, retries: f.retries });
    return { files: r.files.map((x) => ({ name: x.name, bytes: x.bytes })), boot: r.boot };
  } catch (e) {
    if (e instanceof EspruinoFlashError) throw new BoardFlashError(e.step, e.file ?? "", e.boardState, e.message);
    if (e instanceof NodemcuFlashError) throw new BoardFlashError(e.step, e.file, e.boardState, e.message);
    throw e;
  }
}
