import cliProgress from "cli-progress";

export interface ReplayProgress {
  tick(samples: number): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on stderr, for a person at a terminal. Quiet when stderr is
 * not a terminal, under --json, and in CI, where a bar is only noise in a log.
 */
export function replayProgress(traces: number, quiet: boolean): ReplayProgress {
  if (quiet || !process.stderr.isTTY || process.env.CI) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: "replay [{bar}] {value}/{total} traces | {rate} samples/s | ETA {eta_formatted}",
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  const t0 = performance.now();
  let samples = 0;
  bar.start(traces, 0, { rate: "0" });
  return {
    tick(n: number) {
      samples += n;
      const perS = samples / Math.max(1e-3, (performance.now() - t0) / 1000);
      bar.increment(1, { rate: Math.round(perS).toLocaleString("en-US") });
    },
    stop() {
      bar.stop();
    },
  };
}
