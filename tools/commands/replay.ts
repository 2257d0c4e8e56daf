import { existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { loadBoard } from "../build/board-file.ts";
import { allRunners, boardFor, parityOf, replayJson, replayTrace, type ReplayEntry } from "../../sim/replay.ts";
import { RUNNERS, type RunnerName } from "../../sim/runners/runner-types.ts";
import { UsageError } from "../usage-error.ts";

export interface ReplayArgs {
  truth?: string;
  runner: string;
  board?: string;
  json?: boolean;
  /** Write the HTML report here. */
  report?: string;
}

function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? "-" : x.toFixed(digits);
}

function table(entries: ReplayEntry[]): string {
  const head = ["trace", "runner", "samples", "events", "truth", "precision", "recall", "F1", "count acc", "grams MAE", "wall ms"];
  const rows = entries.map((e) => [
    e.trace, e.runner, String(e.samples), String(e.events.length), e.truth ? String(e.truth.length) : "-",
    fmt(e.score?.precision), fmt(e.score?.recall), fmt(e.score?.f1), fmt(e.score?.count_accuracy), fmt(e.score?.grams_mae, 2), String(Math.round(e.wallMs)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** aisle replay: returns the process exit code. */
export async function replayCommand(traces: string[], args: ReplayArgs): Promise<number> {
  const runners: RunnerName[] = args.runner === "all" ? allRunners() : [args.runner as RunnerName];
  if (args.runner !== "all" && !(RUNNERS as readonly string[]).includes(args.runner)) {
    throw new UsageError(`--runner must be one of ${RUNNERS.join(", ")} or all, not ${JSON.stringify(args.runner)}`);
  }
  if (args.truth !== undefined && traces.length !== 1) throw new UsageError("--truth names the truth of one trace: give exactly one trace with it");
  for (const t of traces) {
    if (!existsSync(t)) throw new UsageError(`no such trace: ${t}`);
    if (statSync(t).isDirectory()) throw new UsageError(`${t} is a folder: give trace files (NAME.trace.csv)`);
  }
  if (args.board !== undefined) loadBoard(args.board);
  // Checked before the replay, which may take hours, not after it.
  if (args.report !== undefined && !existsSync(dirname(args.report))) throw new UsageError(`--report: no such folder: ${dirname(args.report)}`);
  const pick = (r: RunnerName) => boardFor(r, args.board);
  const entries: ReplayEntry[] = [];
  let failed = false;
  const failures: { trace: string; message: string }[] = [];
  for (const path of traces) {
    try {
      entries.push(...(await replayTrace(path, { runners, board: args.board, truthFile: args.truth }, pick)));
    } catch (e) {
      failed = true;
      failures.push({ trace: path, message: (e as Error).message });
      process.stderr.write(`aisle replay: ${(e as Error).message}\n`);
    }
  }
  for (const e of entries) {
    for (const err of e.firmwareErrors) {
      failed = true;
      process.stderr.write(`aisle replay: ${e.trace} on ${e.runner} (${e.board}): the firmware failed: ${err}\n`);
    }
  }
  const parity = parityOf(entries);
  if (args.json) {
    process.stdout.write(replayJson(entries) + "\n");
  } else {
    process.stdout.write(table(entries) + "\n");
    if (runners.length > 1 && entries.length > 0) process.stdout.write(parity ? "parity: every runner published the same events\n" : "parity: FAILED, the runners disagree\n");
  }
  if (args.report !== undefined) {
    const { writeReport } = await import("../../sim/report/write-report.ts");
    try {
      writeReport(args.report, entries, failures);
    } catch (e) {
      process.stderr.write(`aisle replay: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (runners.length > 1 && !parity) return 1;
  return failed ? 1 : 0;
}
