/*
 * What the console of a virtual Espruino adds to the firmware's globals (sim/espruino/espruino-api.ts,
 * the surface hal/espruino uses): the calls one types, or EspruinoTools sends, and the firmware
 * never makes. Semantics of Espruino 2v29 (jswrap_interactive.c, jswrap_espruino.c, jsflash.c):
 *
 * - reset(clearFlash): a fresh interpreter that runs .bootrst but not .bootcde; reset(true) first
 *   erases the saved code (.varimg, .bootcde, .bootrst);
 * - load(file): a fresh interpreter with .bootcde (no file), or reset()'s boot code then the file;
 * - E.reboot(): a power cycle; E.setBootCode(code, always): .bootcde, or .bootrst when always;
 * - save(): refused when .bootcde exists (2v29 does so); otherwise not modelled, since the board
 *   cannot image the interpreter's RAM, and it says so;
 * - E.CRC32, btoa, echo(), process.env; setTime and E.setTimeZone are accepted and change nothing.
 *
 * `storageFault` lets a test corrupt what reaches flash, as a bad cable or chip would.
 */
import type { EspruinoBoard } from "../espruino/espruino-board.ts";
import type { EspruinoConsole } from "./espruino-console.ts";
import { espruinoCrc32 } from "./espruino-crc32.ts";
import type { EspruinoEnv } from "./espruino-process-env.ts";

export interface ReplGlobalsContext {
  board: () => EspruinoBoard;
  console: EspruinoConsole;
  storage: Map<string, string>;
  env: EspruinoEnv;
  /** Changes data on its way to flash (a test's injected fault): given the file and the bytes, returns what is written. */
  storageFault?: (name: string, data: string) => string;
}

type StorageModule = { write(name: string, data: unknown, offset?: number, size?: number): boolean };

function asByteString(data: unknown): string {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]") return Buffer.from(data as ArrayBuffer).toString("latin1");
  return String(data);
}

export function replGlobals(ctx: ReplGlobalsContext): (globals: Record<string, unknown>) => void {
  return (globals) => {
    const E = globals.E as Record<string, unknown>;
    const storage = ctx.storage;
    const eraseSavedCode = () => {
      for (const name of [".varimg", ".bootcde", ".bootrst"]) storage.delete(name);
    };
    globals.reset = (clearFlash?: unknown) => {
      if (clearFlash) {
        ctx.console.print("Erasing saved code.\nDone!");
        eraseSavedCode();
      }
      ctx.board().requestRestart("reset");
    };
    globals.load = (file?: unknown) => ctx.board().requestRestart("load", file === undefined ? undefined : String(file));
    globals.save = () => {
      if (storage.has(".bootcde")) throw new Error("Cannot save: .bootcde file already exists. Please remove it first.");
      throw new Error("save() is not modelled by the virtual board (it cannot image the interpreter's RAM): save code to Storage as .bootcde instead");
    };
    globals.echo = (on: unknown) => ctx.console.setEcho(Boolean(on));
    globals.btoa = (s: unknown) => Buffer.from(asByteString(s), "latin1").toString("base64");
    globals.setTime = () => undefined;
    globals.process = { ...(globals.process as object), env: { ...ctx.env } };
    E.reboot = () => ctx.board().requestRestart("power");
    E.CRC32 = espruinoCrc32;
    E.setTimeZone = () => undefined;
    E.setBootCode = (code: unknown, alwaysExec?: unknown) => {
      storage.delete(".bootcde");
      storage.delete(".bootrst");
      const text = typeof code === "string" ? code : "";
      if (text.length > 0) storage.set(alwaysExec ? ".bootrst" : ".bootcde", text);
    };
    const fault = ctx.storageFault;
    if (fault !== undefined) {
      const require = globals.require as (name: string) => unknown;
      globals.require = (name: string) => {
        const module = require(name);
        if (name !== "Storage") return module;
        const s = module as StorageModule;
        return { ...s, write: (file: string, data: unknown, offset?: number, size?: number) => s.write(file, fault(file, asByteString(data)), offset, size) };
      };
    }
  };
}
