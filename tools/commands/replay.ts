import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { loadBoard } from "../build/board-file.ts";
import { replayPool } from "../../sim/pool/replay-pool.ts";
import { allRunners, parityOf, replayJson, type ReplayEntry } from "../../sim/replay.ts";
import { RUNNERS, type RunnerName } from "../../sim/runners/runner-types.ts";
import { UsageError } from "../usage-error.ts";
import { expandTraceArgs } from "./replay-inputs.ts";
import { replayProgress } from "./replay-progress.ts";

export interface ReplayArgs {
  truth?: string;
  runner: string;
  board?: string;
  json?: boolean;
  /** Write the HTML report here. */
  report?: string;
  /** Worker threads; default: one a core. */
  jobs?: string;
  /** A release gate: exit 1 when a scored trace's F1 falls below this. */
  minF1?: string;
  /** Put wall-clock times into --json, which then differs from run to run. */
  timing?: boolean;
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

/** One line for the whole run: what QA reads first. */
function summary(entries: ReplayEntry[], failedTraces: number): string {
  let detected = 0;
  let truth = 0;
  let matched = 0;
  let samples = 0;
  for (const e of entries) {
    samples += e.samples;
    if (e.score === undefined) continue;
    detected += e.score.detected;
    truth += e.score.truth;
    matched += e.score.matched;
  }
  const p = detected === 0 ? 1 : matched / detected;
  const r = truth === 0 ? 1 : matched / truth;
  const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  const traces = new Set(entries.map((e) => e.trace)).size;
  const scored = entries.some((e) => e.score !== undefined);
  const head = `${traces} traces, ${samples.toLocaleString("en-US")} samples replayed${failedTraces ? `, ${failedTraces} could not be read` : ""}`;
  return scored ? `${head}; pooled over scored traces: precision ${p.toFixed(4)}, recall ${r.toFixed(4)}, F1 ${f1.toFixed(4)}` : `${head}; no truth to score against`;
}

/** aisle replay: returns the process exit code. */
export async function replayCommand(traces: string[], args: ReplayArgs): Promise<number> {
  const runners: RunnerName[] = args.runner === "all" ? allRunners() : [args.runner as RunnerName];
  if (args.runner !== "all" && !(RUNNERS as readonly string[]).includes(args.runner)) {
    throw new UsageError(`--runner must be one of ${RUNNERS.join(", ")} or all, not ${JSON.stringify(args.runner)}`);
  }
  if (args.truth !== undefined && traces.length !== 1) throw new UsageError("--truth names the truth of one trace: give exactly one trace with it");
  const jobs = args.jobs === undefined ? availableParallelism() : Number(args.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number ≥ 1, not ${JSON.stringify(args.jobs)}`);
  const minF1 = args.minF1 === undefined ? undefined : Number(args.minF1);
  if (minF1 !== undefined && !(minF1 >= 0 && minF1 <= 1)) throw new UsageError(`--min-f1 must be a number from 0 to 1, not ${JSON.stringify(args.minF1)}`);
  const paths = expandTraceArgs(traces);
  if (args.truth !== undefined && paths.length !== 1) throw new UsageError("--truth names the truth of one trace: give exactly one trace with it");
  if (args.board !== undefined) loadBoard(args.board);
  // Checked before the replay, which may take hours, not after it.
  if (args.report !== undefined && !existsSync(dirname(args.report))) throw new UsageError(`--report: no such folder: ${dirname(args.report)}`);
  const progress = replayProgress(paths.length, args.json === true);
  const results = await replayPool(paths.map((path, index) => ({ index, path, runners, board: args.board, truthFile: args.truth })), jobs, {
    onDone: (r) => progress.tick(r.entries.length > 0 ? r.entries[0].samples : 0),
  });
  progress.stop();
  const entries: ReplayEntry[] = results.flatMap((r) => r.entries);
  let failed = false;
  const failures: { trace: string; message: string }[] = [];
  for (const r of results) {
    if (r.error === undefined) continue;
    failed = true;
    failures.push({ trace: paths[r.index], message: r.error });
    process.stderr.write(`aisle replay: ${r.error}\n`);
  }
  for (const e of entries) {
    for (const err of e.firmwareErrors) {
      failed = true;
      process.stderr.write(`aisle replay: ${e.trace} on ${e.runner} (${e.board}): the firmware failed: ${err}\n`);
    }
  }
  const parity = parityOf(entries);
  if (args.json) {
    process.stdout.write(replayJson(entries, args.timing === true) + "\n");
  } else {
    process.stdout.write(table(entries) + "\n");
    process.stdout.write(summary(entries, failures.length) + "\n");
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
  if (minF1 !== undefined) {
    const below = entries.filter((e) => e.score !== undefined && e.score.f1 < minF1);
    for (const e of below) process.stderr.write(`aisle replay: ${e.trace} on ${e.runner}: F1 ${e.score!.f1.toFixed(4)} is below --min-f1 ${minF1}\n`);
    if (below.length > 0) return 1;
  }
  return failed ? 1 : 0;
}
