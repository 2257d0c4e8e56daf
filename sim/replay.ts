import { loadBoard } from "../tools/build/board-file.ts";
import { runOnEspruino } from "./runners/espruino-runner.ts";
import { runOnNodeMcu } from "./runners/lua-runner.ts";
import { DEFAULT_BOARD, RUNNERS, type RunnerName } from "./runners/runner-types.ts";
import { scoreEvents, type DetectedEvent, type Score } from "./score.ts";
import { openTraceStream } from "./trace/open-trace-stream.ts";
import type { Trace } from "./trace/trace-types.ts";
import { readTruthFor, type TruthEvent } from "./trace/truth.ts";

export interface ReplayEntry {
  trace: string;
  runner: RunnerName;
  board: string;
  samples: number;
  events: DetectedEvent[];
  payloads: string[];
  health: Record<string, unknown>[];
  /** A gate's outputs at each change: locks, lights, buzzer (sim/devices/gate-outputs.ts). */
  outputs: string[];
  truth: TruthEvent[] | undefined;
  score: Score | undefined;
  wallMs: number;
  firmwareErrors: string[];
}

export interface ReplayOptions {
  runners: RunnerName[];
  /** A board for the runners of its platform; the others keep their default. */
  board?: string;
  truthFile?: string;
}

/** The board a runner uses: `board` when it is of the runner's platform (and Lua), else the runner's default. */
export function boardFor(runner: RunnerName, board?: string): string {
  if (board === undefined) return DEFAULT_BOARD[runner];
  const b = loadBoard(board);
  const wanted = runner === "source" || runner === "espruino" ? "espruino" : "nodemcu";
  if (b.platform !== wanted) return DEFAULT_BOARD[runner];
  if (wanted === "nodemcu" && b.lua !== (runner === "lua53" ? "5.3" : "5.1")) return DEFAULT_BOARD[runner];
  return board;
}

/** Replays one trace file on each runner and scores it against its truth, if it has any. */
/**
 * Replays one trace file on each runner and scores it against its truth, if it has any. Every
 * runner reads a shelf trace as a stream, in constant memory. A malformed trace throws
 * TraceError with file and line, before or during the replay.
 */
export async function replayTrace(path: string, opts: ReplayOptions, pickBoard: (r: RunnerName) => string): Promise<ReplayEntry[]> {
  const entries: ReplayEntry[] = [];
  for (const runner of opts.runners) {
    const board = pickBoard(runner);
    const t0 = performance.now();
    const input = openTraceStream(path);
    const kind: Trace["kind"] = "next" in input ? "shelf" : "gate";
    const result = runner === "source" || runner === "espruino" ? await runOnEspruino(input, runner, board) : await runOnNodeMcu(input, runner, board);
    const samples = result.samples;
    const wallMs = performance.now() - t0;
    const truth = readTruthFor(path, kind, opts.truthFile);
    entries.push({
      trace: path, runner, board, samples, events: result.events, payloads: result.payloads, health: result.health, outputs: result.outputs,
      truth, score: truth ? scoreEvents(kind, result.events, truth) : undefined, wallMs, firmwareErrors: result.errors,
    });
  }
  return entries;
}

/** Whether every runner published the same payloads, byte for byte, and drove a gate's outputs alike, for every trace. */
export function parityOf(entries: ReplayEntry[]): boolean {
  const first = new Map<string, string>();
  for (const e of entries) {
    const key = JSON.stringify([e.payloads, e.outputs]);
    const seen = first.get(e.trace);
    if (seen === undefined) first.set(e.trace, key);
    else if (seen !== key) return false;
  }
  return true;
}

export function allRunners(): RunnerName[] {
  return [...RUNNERS];
}

/** The --json document of issue #2: one entry per trace and runner, and the parity verdict. */
export function replayJson(entries: ReplayEntry[], timing = false): string {
  const round = (x: number | null | undefined, digits = 6) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
  return JSON.stringify({
    traces: entries.map((e) => ({
      trace: e.trace,
      runner: e.runner,
      samples: e.samples,
      events: e.events,
      detected: e.events.length,
      truth: e.truth ? e.truth.length : null,
      precision: round(e.score?.precision),
      recall: round(e.score?.recall),
      f1: round(e.score?.f1),
      count_accuracy: round(e.score?.count_accuracy),
      grams_mae: round(e.score?.grams_mae, 3),
      // Wall time differs from run to run: null unless asked for, so the same inputs give the same bytes.
      wall_ms: timing ? Math.round(e.wallMs) : null,
      ...(e.firmwareErrors.length ? { firmware_errors: e.firmwareErrors } : {}),
    })),
    parity: parityOf(entries),
  });
}
