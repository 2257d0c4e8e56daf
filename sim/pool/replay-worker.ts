import { parentPort } from "node:worker_threads";
import { replayOne, type ReplayJob } from "./replay-job.ts";

/* Replays one trace a message, in the order they come, and answers with its index. */
parentPort!.on("message", (job: ReplayJob) => {
  void replayOne(job).then((result) => parentPort!.postMessage(result));
});
