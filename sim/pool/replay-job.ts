import { boardFor, replayTrace, type ReplayEntry } from "../replay.ts";
import type { RunnerName } from "../runners/runner-types.ts";

export interface ReplayJob {
  index: number;
  path: string;
  runners: RunnerName[];
  board?: string;
  truthFile?: string;
}

export interface ReplayJobResult {
  index: number;
  entries: ReplayEntry[];
  /** Why the trace could not be replayed (a malformed trace names its file and line). */
  error?: string;
}

/** One trace on every runner asked for: what a worker does, and what one process does alone. */
export async function replayOne(job: ReplayJob): Promise<ReplayJobResult> {
  try {
    const entries = await replayTrace(job.path, { runners: job.runners, board: job.board, truthFile: job.truthFile }, (r) => boardFor(r, job.board));
    return { index: job.index, entries };
  } catch (e) {
    return { index: job.index, entries: [], error: (e as Error).message };
  }
}
