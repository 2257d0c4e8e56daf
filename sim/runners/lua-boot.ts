/*
 * A NodeMCU build booted as flashed, for its footprint (aisle build, docs/footprint.md): the
 * build's Lua files on vboard.lua, the board's HX711s wired (they convert nothing) or its gate's
 * inputs at rest (doors shut, beams clear, no emergency), the store as given (empty: a fresh
 * flash; an MQTT build also has the device record that `aisle flash` provisions, so it dials),
 * and the heap it holds once booted with its code in flash (vboard.lua's "~heap").
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BoardConstants } from "../../hal/board.ts";
import type { BoardFile } from "../../tools/build/board-file.ts";
import { REPO } from "../../tools/paths.ts";
import { settleUsFor } from "../devices/hx711-chip.ts";
import { runLuaBoard } from "../nodemcu/lua-board.ts";

/** NodeMCU on the ESP8266 is a 32-bit Lua 5.1: scripts/lua32.sh builds one, whose objects have the chip's sizes. */
export const LUA51_32BIT = join(REPO, ".cache", "lua5.1-m32");

export interface LuaBoot {
  interpreter: string;
  heapAfterBootBytes: number;
  /** What the firmware printed (its log lines), for a failed boot's message. */
  lines: string[];
}

export interface LuaBootInput {
  board: BoardFile;
  constants: BoardConstants;
  app: "shelf" | "gate";
  /** The build's files: init.lua and the bundle. */
  files: Record<string, string>;
  store: Map<string, Buffer>;
}

/** The interpreters a footprint is measured on: lua5.1 (the 32-bit one when built) and lua5.3. */
export function footprintInterpreters(): { lua51: string; lua53: string; lua51Is32Bit: boolean } {
  const is32 = existsSync(LUA51_32BIT);
  return { lua51: is32 ? LUA51_32BIT : "lua5.1", lua53: "lua5.3", lua51Is32Bit: is32 };
}

export async function bootLuaHeap(input: LuaBootInput, interpreter: string): Promise<LuaBoot> {
  const { board, constants, app, files, store } = input;
  const cmds = [`M ${board.mcu} ${board.memory.lua_heap_bytes}`];
  for (const [name, text] of Object.entries(files)) cmds.push(`F ${name} ${Buffer.from(text, "utf8").toString("hex")}`);
  for (const [name, bytes] of store) cmds.push(`F ${name} ${bytes.toString("hex")}`);
  if (app === "shelf") {
    constants.cells.forEach((c, i) => cmds.push(`H ${i} ${c.dout} ${c.sck} ${settleUsFor(c.rateSps)}`));
    if (board.mcu === "esp32") for (const c of constants.cells) cmds.push(`R ${c.sck} 0`);
  } else {
    for (const l of constants.gateLanes) cmds.push(`L ${l.beamOuter} 0`, `L ${l.beamInner} 0`, `L ${l.doorClosed} 1`);
    cmds.push(`L ${constants.emergency} 0`);
  }
  const bundle = Object.keys(files).find((n) => n !== "init.lua")!;
  cmds.push(`B init.lua ${bundle}`, "E 1000");
  const out = await runLuaBoard(interpreter, cmds);
  // init.lua catches an error in the bundle and says so, rather than rebooting in a loop.
  const bootFailed = out.lines.find((l) => l.startsWith("E boot failed"));
  const failed = out.panic !== undefined ? `panicked: ${out.panic}` : out.exitCode !== 0 ? `exited with ${out.exitCode}: ${out.stderr.trim().slice(0, 300)}` : bootFailed;
  if (failed !== undefined || out.heapAfterBootBytes === undefined) {
    throw new Error(`${board.id}/${app} does not boot on the virtual NodeMCU under ${interpreter}: ${failed ?? "no heap figure"}`);
  }
  return { interpreter, heapAfterBootBytes: out.heapAfterBootBytes, lines: out.lines };
}
