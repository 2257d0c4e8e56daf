import { Worker } from "node:worker_threads";
import { replayOne, type ReplayJob, type ReplayJobResult } from "./replay-job.ts";

export interface PoolProgress {
  /** Called as each trace finishes, in whatever order they finish. */
  onDone(result: ReplayJobResult): void;
}

/**
 * Replays the jobs on `threads` worker threads (one trace a worker at a time, the next going to
 * whichever worker is free) and returns the results in the jobs' order, so that the output is
 * the same whatever the concurrency and whichever trace finished first. With one thread the
 * jobs run in this process.
 */
export async function replayPool(jobs: ReplayJob[], threads: number, progress?: PoolProgress): Promise<ReplayJobResult[]> {
  const results: ReplayJobResult[] = new Array(jobs.length);
  if (threads <= 1 || jobs.length <= 1) {
    for (const job of jobs) {
      results[job.index] = await replayOne(job);
      progress?.onDone(results[job.index]);
    }
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, jobs.length) }, () => new Worker(new URL("./replay-worker.mjs", import.meta.url)));
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= jobs.length) {
          resolve();
          return;
        }
        w.postMessage(jobs[next++]);
      };
      w.on("message", (r: ReplayJobResult) => {
        results[r.index] = r;
        progress?.onDone(r);
        feed();
      });
      w.on("error", reject);
      feed();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
