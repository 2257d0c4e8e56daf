import type { BoardConstants } from "../../hal/board.ts";
import { boardConstants, loadBoard } from "../../tools/build/board-file.ts";
import { buildTag, bundleFileName, cachedBuild } from "../../tools/build/build.ts";
import { writeEntry } from "../../tools/build/entry.ts";
import { esbuildBundle } from "../../tools/build/espruino-bundle.ts";
import { Hx711Chip, settleUsFor } from "../devices/hx711-chip.ts";
import { GateOutputRecorder, gateOutputPins } from "../devices/gate-outputs.ts";
import { admitLine, gateInitialLevels, gateStimuli } from "../devices/stimuli.ts";
import { EspruinoBoard } from "../espruino/espruino-board.ts";
import { cryptoBuildFor } from "../espruino/espruino-crypto.ts";
import { memoryShelfStream } from "../trace/memory-stream.ts";
import type { ShelfStream, TraceStream } from "../trace/trace-stream.ts";
import type { Trace } from "../trace/trace-types.ts";
import { parseConsole, replayShape, storeSeed } from "./device-setup.ts";
import { feedDevice, REPLAY_TAIL_US } from "./feed.ts";
import { ShelfFeed } from "./shelf-feed.ts";
import type { RunResult } from "./runner-types.ts";

const sourceBundles = new Map<string, Promise<string>>();

/** The source runner's code: the firmware TypeScript bundled as is, unminified, with no EspruinoTools step. */
function sourceBundle(constants: BoardConstants, app: "shelf" | "gate", tag: string): Promise<string> {
  let p = sourceBundles.get(tag);
  if (p === undefined) {
    p = esbuildBundle(writeEntry("espruino", app, constants, tag), false);
    sourceBundles.set(tag, p);
  }
  return p;
}

/** A whole trace, or a shelf trace as a stream (read a chunk at a time, for traces of any length). */
export type ReplayInput = Trace | TraceStream;

function asStream(input: ReplayInput): ShelfStream | Extract<Trace, { kind: "gate" }> {
  if ("next" in input) return input;
  return input.kind === "shelf" ? memoryShelfStream(input) : input;
}

/**
 * Replays a trace on the virtual Espruino. "espruino" runs the built bundle, byte for byte, in a
 * vm context; "source" runs the TypeScript straight from the tree. A shelf trace is fed from its
 * stream as the board's clock reaches it, so memory stays flat however long the trace.
 */
export async function runOnEspruino(input: ReplayInput, runner: "source" | "espruino", boardId: string): Promise<RunResult & { samples: number }> {
  const trace = asStream(input);
  const head = "next" in trace ? trace.header : trace;
  const boardFile = loadBoard(boardId);
  if (boardFile.platform !== "espruino") throw new Error(`the ${runner} runner needs an Espruino board; ${boardId} is ${boardFile.platform}`);
  const shape = replayShape(head, boardFile.shelf.cells.length, boardFile.gate.lanes.length, boardFile.shelf.cells[0].rate_sps);
  const constants = boardConstants(boardFile, shape);
  const app = head.kind;
  let code: string;
  let filename: string;
  if (runner === "espruino") {
    const built = await cachedBuild(boardId, app, shape);
    filename = bundleFileName(boardFile, app);
    code = built.files[filename];
  } else {
    const tag = `${buildTag(boardId, app, shape)}-source`;
    code = await sourceBundle(constants, app, tag);
    filename = `${tag}.js`;
  }
  const lines: string[] = [];
  const board = new EspruinoBoard({ code, filename, mode: runner === "espruino" ? "vm" : "direct", storage: storeSeed(head), onLine: (l) => lines.push(l), crypto: cryptoBuildFor(boardFile.mcu) });
  let samples: number;
  let outputs: string[] = [];
  if ("next" in trace) {
    const chips = constants.cells.map((c) => {
      const chip = new Hx711Chip(c.dout, c.sck, (pin, level) => board.pins.drive(pin, level), () => board.nowUs, settleUsFor(trace.header.rateHz));
      board.pins.listen(c.sck, (level) => chip.clock(level));
      board.pins.attachShifter(c.sck, chip);
      return chip;
    });
    try {
      const feed = new ShelfFeed(trace, (cell, counts) => chips[cell].convert(counts));
      board.addDevice(feed);
      board.boot();
      while (!feed.done) board.runUntil(feed.horizonUs);
      board.runUntil(trace.endUs + REPLAY_TAIL_US);
      samples = trace.sampleCount;
    } finally {
      trace.close();
    }
  } else {
    for (const p of gateInitialLevels(trace, constants)) board.pins.drive(p.pin, p.level);
    const recorder = new GateOutputRecorder(gateOutputPins(constants));
    outputs = recorder.lines;
    for (const p of gateOutputPins(constants)) board.pins.listen(p.pin, (level) => recorder.wrote(p.pin, level, board.nowUs));
    board.addDevice(feedDevice(gateStimuli(trace, constants), (s) => (s.kind === "pin" ? board.pins.drive(s.pin, s.level) : board.typeLine(admitLine(s, "js")))));
    board.boot();
    board.runUntil(trace.endUs + REPLAY_TAIL_US);
    samples = trace.sampleCount;
  }
  const errors = [...board.errors];
  const { events, payloads, health, log } = parseConsole(lines, errors);
  return { runner, board: boardId, events, payloads, health, log, outputs, errors, samples };
}
