import type { BoardConstants } from "../../hal/board.ts";
import { boardConstants, loadBoard, type BoardFile } from "../../tools/build/board-file.ts";
import { cachedBuild } from "../../tools/build/build.ts";
import { settleUsFor } from "../devices/hx711-chip.ts";
import { GateOutputRecorder, gateOutputPins } from "../devices/gate-outputs.ts";
import { admitLine, gateInitialLevels, gateStimuli } from "../devices/stimuli.ts";
import { runLuaBoard, type LuaInterpreter } from "../nodemcu/lua-board.ts";
import { memoryShelfStream } from "../trace/memory-stream.ts";
import type { ShelfStream, TraceStream } from "../trace/trace-stream.ts";
import type { GateTrace, Trace } from "../trace/trace-types.ts";
import { parseConsole, replayShape, storeSeed } from "./device-setup.ts";
import { REPLAY_TAIL_US } from "./feed.ts";
import { luaRows } from "./lua-rows.ts";
import type { RunResult } from "./runner-types.ts";

/** The Lua runners: the Lua 5.1 bundle also runs under LuaJIT, a faster interpreter of the same language, for long replays. */
export type LuaRunner = "lua51" | "luajit" | "lua53";
const INTERPRETER: Record<LuaRunner, LuaInterpreter> = { lua51: "lua5.1", luajit: "luajit", lua53: "lua5.3" };
const LUA_OF: Record<LuaRunner, string> = { lua51: "5.1", luajit: "5.1", lua53: "5.3" };

const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

function* commands(trace: ShelfStream | GateTrace, board: BoardFile, constants: BoardConstants, files: Record<string, string>): Generator<string | Uint8Array> {
  const head = "next" in trace ? trace.header : trace;
  yield `M ${board.mcu} ${board.memory.lua_heap_bytes}`;
  for (const [name, text] of Object.entries(files)) yield `F ${name} ${hex(text)}`;
  for (const [name, text] of storeSeed(head)) yield `F ${name} ${hex(text)}`;
  if ("next" in trace) {
    for (let i = 0; i < constants.cells.length; i++) yield `H ${i} ${constants.cells[i].dout} ${constants.cells[i].sck} ${settleUsFor(trace.header.rateHz)}`;
    // An ESP32 board pulls each PD_SCK down, so the SPI bus moving between cells makes no clock edge (hal/nodemcu-esp32/hx711-spi.ts).
    if (board.mcu === "esp32") for (const c of constants.cells) yield `R ${c.sck} 0`;
  } else {
    for (const p of gateInitialLevels(trace, constants)) yield `L ${p.pin} ${p.level}`;
    for (const p of gateOutputPins(constants)) yield `W ${p.pin}`;
  }
  yield `B init.lua ${Object.keys(files).find((n) => n !== "init.lua")}`;
  if ("next" in trace) {
    yield* luaRows(trace);
  } else {
    for (const s of gateStimuli(trace, constants)) yield s.kind === "pin" ? `P ${s.tUs} ${s.pin} ${s.level}` : `U ${s.tUs} ${hex(admitLine(s, "lua"))}`;
  }
  yield `E ${trace.endUs + REPLAY_TAIL_US}`;
}

/** Replays a trace on the virtual NodeMCU, running the built Lua bundle under the real interpreter (or another Lua of the same version). */
export async function runOnNodeMcu(input: Trace | TraceStream, runner: LuaRunner, boardId: string, interpreter?: LuaInterpreter): Promise<RunResult & { samples: number }> {
  const trace = "next" in input ? input : input.kind === "shelf" ? memoryShelfStream(input) : input;
  const head = "next" in trace ? trace.header : trace;
  try {
    const boardFile = loadBoard(boardId);
    if (boardFile.platform !== "nodemcu" || boardFile.lua !== LUA_OF[runner]) {
      throw new Error(`the ${runner} runner needs a NodeMCU board with Lua ${LUA_OF[runner]}; ${boardId} is ${boardFile.platform}${boardFile.lua ? ` with Lua ${boardFile.lua}` : ""}`);
    }
    const shape = replayShape(head, boardFile.shelf.cells.length, boardFile.gate.lanes.length, boardFile.shelf.cells[0].rate_sps);
    const constants = boardConstants(boardFile, shape);
    const built = await cachedBuild(boardId, head.kind, shape);
    const files = Object.fromEntries(Object.entries(built.files).filter(([n]) => n.endsWith(".lua")));
    const out = await runLuaBoard(interpreter ?? INTERPRETER[runner], commands(trace, boardFile, constants, files));
    const errors: string[] = [];
    if (out.panic !== undefined) errors.push(`PANIC: ${out.panic}`);
    if (out.exitCode !== 0 && out.panic === undefined) errors.push(`${INTERPRETER[runner]} exited with ${out.exitCode}: ${out.stderr.trim().slice(0, 400)}`);
    const recorder = new GateOutputRecorder(head.kind === "gate" ? gateOutputPins(constants) : []);
    const lines = out.lines.filter((l) => {
      const m = /^~out (\d+) (\d+) (\d)$/.exec(l);
      if (m !== null) recorder.wrote(Number(m[2]), Number(m[3]), Number(m[1]));
      return m === null;
    });
    const { events, payloads, health, log } = parseConsole(lines, errors);
    return { runner, board: boardId, events, payloads, health, log, outputs: recorder.lines, errors, heapAfterBootBytes: out.heapAfterBootBytes, codeBytes: out.codeBytes, samples: trace.sampleCount };
  } finally {
    if ("next" in trace) trace.close();
  }
}
