/*
 * The Lua heap the shelf (or the gate) on MQTT holds after boot on a virtual NodeMCU, without a broker: the
 * MQTT build (aisle build --link mqtt) booted on vboard.lua with the demo trace's calibration and
 * lanes and a device config, as sim/live/live-shelf.ts boots it, but no connection comes. The
 * figure is vboard.lua's "~heap" (code in flash as LFS keeps it), the one the serial shelf's budget
 * is checked with (test/budgets.test.ts); docs/lua-heap.md says what it holds.
 */
import { resolve } from "node:path";
import { settleUsFor } from "../devices/hx711-chip.ts";
import { deviceConfigRecord } from "../live/live-shelf.ts";
import { runLuaBoard, type LuaInterpreter } from "../nodemcu/lua-board.ts";
import { readTrace } from "../trace/trace-reader.ts";
import { boardConstants, loadBoard } from "../../tools/build/board-file.ts";
import { cachedBuild } from "../../tools/build/build.ts";
import { REPO } from "../../tools/paths.ts";
import { storeSeed } from "./device-setup.ts";
import { gateInitialLevels } from "../devices/stimuli.ts";

export interface OnlineHeap {
  /** Heap the app holds after boot, bytes (vboard.lua's ~heap). */
  heapAfterBootBytes: number | undefined;
  /** What its compiled functions would take in RAM without LFS. */
  codeBytes: number | undefined;
  /** What the board printed: the firmware's lines and its own "~mqtt" ones. */
  lines: string[];
  errors: string[];
}

const hex = (b: Buffer) => b.toString("hex");

/** Boots the MQTT shelf on a NodeMCU board (its demo trace's 4 cells) and reads its heap after boot. */
export async function onlineShelfHeap(boardId: string, interpreter?: LuaInterpreter): Promise<OnlineHeap> {
  const board = loadBoard(boardId);
  if (board.platform !== "nodemcu") throw new Error(`${boardId} is not a NodeMCU board`);
  const trace = readTrace(resolve(REPO, "data/demo/shelf-demo.trace.csv"));
  if (trace.kind !== "shelf") throw new Error("the demo trace is not a shelf trace");
  if (trace.channels.length !== board.shelf.cells.length || trace.rateHz !== board.shelf.cells[0].rate_sps) {
    throw new Error(`${boardId} is not wired as the demo trace (${trace.channels.length} cells at ${trace.rateHz} SPS)`);
  }
  const built = await cachedBuild(boardId, "shelf", { link: "mqtt" });
  const cmds = [`M ${board.mcu} ${board.memory.lua_heap_bytes}`];
  for (const [name, text] of Object.entries(built.files)) if (name.endsWith(".lua")) cmds.push(`F ${name} ${hex(Buffer.from(text, "utf8"))}`);
  for (const [name, text] of storeSeed(trace)) cmds.push(`F ${name} ${hex(Buffer.from(text, "utf8"))}`);
  const device = deviceConfigRecord({ deviceId: "shelf-1", brokerUrl: "mqtt://127.0.0.1:1883", key: Buffer.alloc(32, 1) });
  cmds.push(`F device ${hex(Buffer.from(device, "latin1"))}`);
  const cells = boardConstants(board, {}).cells;
  cells.forEach((c, i) => cmds.push(`H ${i} ${c.dout} ${c.sck} ${settleUsFor(trace.rateHz)}`));
  if (board.mcu === "esp32") for (const c of cells) cmds.push(`R ${c.sck} 0`);
  cmds.push("B init.lua aisle-shelf.lua", "E 1000");
  const out = await runLuaBoard(interpreter ?? (board.lua === "5.3" ? "lua5.3" : "lua5.1"), cmds);
  const errors = out.lines.filter((l) => l.startsWith("E ")).concat(out.panic === undefined ? [] : [`PANIC: ${out.panic}`]);
  if (out.exitCode !== 0 && out.panic === undefined) errors.push(`exited with ${out.exitCode}: ${out.stderr.trim().slice(0, 400)}`);
  return { heapAfterBootBytes: out.heapAfterBootBytes, codeBytes: out.codeBytes, lines: out.lines, errors };
}

/** Boots the MQTT gate on a NodeMCU board (its own lanes, from the demo gate trace's levels at 0: doors shut, beams clear) and reads its heap after boot. */
export async function onlineGateHeap(boardId: string, interpreter?: LuaInterpreter): Promise<OnlineHeap> {
  const board = loadBoard(boardId);
  if (board.platform !== "nodemcu") throw new Error(`${boardId} is not a NodeMCU board`);
  const trace = readTrace(resolve(REPO, "data/demo/gate-demo.trace.csv"));
  if (trace.kind !== "gate") throw new Error("the gate demo trace is not a gate trace");
  const built = await cachedBuild(boardId, "gate", { link: "mqtt" });
  const cmds = [`M ${board.mcu} ${board.memory.lua_heap_bytes}`];
  for (const [name, text] of Object.entries(built.files)) if (name.endsWith(".lua")) cmds.push(`F ${name} ${hex(Buffer.from(text, "utf8"))}`);
  const device = deviceConfigRecord({ deviceId: "gate-1", brokerUrl: "mqtt://127.0.0.1:1883", key: Buffer.alloc(32, 1) });
  cmds.push(`F device ${hex(Buffer.from(device, "latin1"))}`);
  for (const p of gateInitialLevels(trace, boardConstants(board, {}))) cmds.push(`L ${p.pin} ${p.level}`);
  cmds.push("B init.lua aisle-gate.lua", "E 1000");
  const out = await runLuaBoard(interpreter ?? (board.lua === "5.3" ? "lua5.3" : "lua5.1"), cmds);
  const errors = out.lines.filter((l) => l.startsWith("E ")).concat(out.panic === undefined ? [] : [`PANIC: ${out.panic}`]);
  if (out.exitCode !== 0 && out.panic === undefined) errors.push(`exited with ${out.exitCode}: ${out.stderr.trim().slice(0, 400)}`);
  return { heapAfterBootBytes: out.heapAfterBootBytes, codeBytes: out.codeBytes, lines: out.lines, errors };
}
