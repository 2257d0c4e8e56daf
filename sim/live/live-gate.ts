/*
 * A gate controller running live on a real broker: the MQTT build of the gate app (aisle build
 * --app gate --link mqtt) on the virtual board of its platform, its beams, doors and emergency
 * input driven from a gate trace in step with the clock, and the trace's admissions sent as
 * signed admit commands by an admission server holding the device's key (admission-server.ts),
 * each at its virtual time. What `aisle sim --app gate` runs, and what the gate's MQTT tests drive.
 */
import type { BoardConstants } from "../../hal/board.ts";
import { boardConstants, loadBoard } from "../../tools/build/board-file.ts";
import { bundleFileName, cachedBuild } from "../../tools/build/build.ts";
import { gateInitialLevels, gateStimuli, type PinLevel } from "../devices/stimuli.ts";
import { replayShape } from "../runners/device-setup.ts";
import { feedDevice } from "../runners/feed.ts";
import { openTraceStream } from "../trace/open-trace-stream.ts";
import type { GateTrace } from "../trace/trace-types.ts";
import { AdmissionServer, type Admission } from "./admission-server.ts";
import { LiveEspruino } from "./live-espruino.ts";
import type { LiveDeviceOptions } from "./live-options.ts";
import { LiveLuaBoard } from "./live-lua.ts";
import { deviceConfigRecord } from "./live-shelf.ts";

export interface LiveGateOptions extends LiveDeviceOptions {
  /** How long to wait (wall time) for the device's first "online" (default 20 s). */
  onlineTimeoutMs?: number;
}

export interface LiveGate {
  readonly lines: string[];
  /** Sends the trace's admissions, and any other command a test signs. */
  readonly admissions: AdmissionServer;
  /** The board's clock, µs. */
  nowUs(): number;
  /** Resolves once the board's clock has passed tUs. */
  waitUntilUs(tUs: number, wallTimeoutMs?: number): Promise<void>;
  /** Resolves once every change of the trace has reached the board, every admission has been answered, and the clock is tailUs past the trace's end. */
  waitUntilFed(tailUs: number, wallTimeoutMs?: number): Promise<void>;
  /** Ends cleanly: DISCONNECT, so no will. */
  stop(): Promise<void>;
}

/** The trace's pin changes and admissions, apart: pins go to the board, admissions to the server. */
function split(trace: GateTrace, constants: BoardConstants): { pins: PinLevel[]; admits: Admission[] } {
  const pins: PinLevel[] = [];
  const admits: Admission[] = [];
  for (const s of gateStimuli(trace, constants)) {
    if (s.kind === "pin") pins.push(s);
    else admits.push({ tUs: s.tUs, lane: s.lane, token: s.token });
  }
  return { pins, admits };
}

export async function startLiveGate(o: LiveGateOptions): Promise<LiveGate> {
  const input = openTraceStream(o.trace);
  if ("next" in input) {
    input.close();
    throw new Error(`${o.trace} is a shelf trace: the live gate needs a gate trace (aisle gen gate)`);
  }
  const trace = input;
  const boardFile = loadBoard(o.board);
  const shape = replayShape(trace, boardFile.shelf.cells.length, boardFile.gate.lanes.length, boardFile.shelf.cells[0].rate_sps);
  const constants = boardConstants(boardFile, shape);
  const built = await cachedBuild(o.board, "gate", { ...shape, link: "mqtt" });
  const { pins, admits } = split(trace, constants);
  let board: { nowUs(): number; waitUntilUs(t: number, ms?: number): Promise<void> } | undefined;
  let started: () => void = () => {};
  const up = new Promise<void>((resolve) => (started = resolve));
  const admissions = await AdmissionServer.connect({
    brokerUrl: o.brokerUrl, deviceId: o.deviceId, key: o.key,
    nowUs: () => board?.nowUs() ?? 0,
    waitUntilUs: async (t) => {
      await up;
      await board!.waitUntilUs(t, 2 ** 31 - 1);
    },
  });
  // Before the board starts, so that its clock stops at the first admission.
  admissions.play(admits);
  const device = deviceConfigRecord(o);
  let live: LiveGate;
  if (boardFile.platform === "espruino") {
    const esp = new LiveEspruino({
      code: built.files[bundleFileName(boardFile, "gate")], filename: "aisle-gate.js", mode: "vm", storage: new Map([["device", device]]),
      speed: o.speed, onLine: o.onLine, crypto: boardFile.mcu === "esp8266" ? "no-sha256" : "sha256", holdUs: () => admissions.holdUs(),
    });
    for (const p of gateInitialLevels(trace, constants)) esp.board.pins.drive(p.pin, p.level);
    esp.board.addDevice(feedDevice(pins[Symbol.iterator](), (s) => esp.board.pins.drive(s.pin, s.level)));
    esp.start();
    board = { nowUs: () => esp.nowUs, waitUntilUs: (t, ms = 60000) => esp.waitFor(() => esp.nowUs >= t, `virtual time ${t} us`, ms) };
    live = {
      lines: esp.lines, admissions, nowUs: board.nowUs, waitUntilUs: board.waitUntilUs,
      waitUntilFed: (tail, ms = 60000) => esp.waitFor(() => admissions.done && esp.nowUs >= trace.endUs + tail, "the end of the trace", ms),
      stop: async () => {
        await admissions.close();
        await esp.stop();
      },
    };
  } else {
    const files: Record<string, string | Buffer> = Object.fromEntries(Object.entries(built.files).filter(([n]) => n.endsWith(".lua")));
    files.device = Buffer.from(device, "latin1");
    const lines: string[] = [];
    const lua = await LiveLuaBoard.start({
      interpreter: o.interpreter ?? (boardFile.lua === "5.3" ? "lua5.3" : "lua5.1"), mcu: boardFile.mcu, heapBytes: boardFile.memory.lua_heap_bytes!,
      files, init: "init.lua", app: bundleFileName(boardFile, "gate"), setup: gateInitialLevels(trace, constants).map((p) => `L ${p.pin} ${p.level}`),
      speed: o.speed === "max" ? Infinity : o.speed, holdUs: () => admissions.holdUs(),
      stimuli: pins.map((p): [number, string] => [p.tUs, `P ${p.tUs} ${p.pin} ${p.level}`])[Symbol.iterator](),
      onLine: (l) => {
        lines.push(l);
        o.onLine?.(l);
      },
    });
    board = { nowUs: () => lua.nowUs, waitUntilUs: async (t, ms = 60000) => void (await lua.waitUntilUs(t, ms)) };
    const until = async (test: () => boolean, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!test()) {
        if (Date.now() > end) throw new Error(`live ${o.board}: waited ${ms} ms for the end of the trace; the board is at ${lua.nowUs} us`);
        await lua.waitUntilUs(lua.nowUs + 1, ms);
      }
    };
    live = {
      lines, admissions, nowUs: board.nowUs, waitUntilUs: board.waitUntilUs,
      waitUntilFed: (tail, ms = 60000) => until(() => admissions.done && lua.nowUs >= trace.endUs + tail, ms),
      stop: async () => {
        await admissions.close();
        await lua.stop();
      },
    };
  }
  started();
  try {
    await admissions.waitOnline(o.onlineTimeoutMs ?? 20000);
  } catch (e) {
    await live.stop();
    throw new Error(`${o.deviceId} on ${o.board}: ${(e as Error).message}; its last lines:\n${live.lines.slice(-10).join("\n")}`);
  }
  return live;
}
