/*
 * npm run bench: each runner's replay throughput, in samples a second, beside a bare loop that
 * does the same maths over a typed array in this same process. Ratios are the figures to
 * compare across machines; absolute numbers are printed too.
 *   npm run bench -- --minutes 5     (length of the generated trace; default 20: shorter ones mostly
 *   measure the JIT warming up)
 * Trace reading (bench/trace-read.ts) is in the same table; --long [--long-gb N] also streams a
 * multi-GB trace in both forms and reports peak RSS. Then the MQTT benchmarks (bench/mqtt.ts:
 * a signed command's round trip, and telemetry from N virtual shelves on one mosquitto).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shelfDemo } from "../sim/gen/shelf-demo.ts";
import { convertTrace } from "../sim/trace/convert-trace.ts";
import { allRunners, boardFor, replayTrace } from "../sim/replay.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import type { ShelfTrace } from "../sim/trace/trace-types.ts";
import { bareLoop } from "./bare-loop.ts";
import { mqttBench } from "./mqtt.ts";
import { longRun, traceReadRates } from "./trace-read.ts";

const minutes = Number(process.argv[process.argv.indexOf("--minutes") + 1]) || 20;
const dir = mkdtempSync(join(tmpdir(), "aisle-bench-"));
const path = join(dir, "bench.trace.csv");
writeFileSync(path, shelfDemo(42, 80, minutes * 60).trace);
const trace = readTrace(path) as ShelfTrace;

function bare(): { samplesPerS: number } {
  const ch = trace.channels.length;
  const rows = Math.min(...trace.samples.map((s) => s.counts.length));
  const counts = new Int32Array(rows * ch);
  for (let r = 0; r < rows; r++) for (let c = 0; c < ch; c++) counts[r * ch + c] = trace.samples[c].counts[r];
  const offset = Float64Array.from(trace.channels.map((c) => c.offset));
  const gpc = Float64Array.from(trace.channels.map((c) => c.gramsPerCount));
  bareLoop(counts, ch, offset, gpc, 40);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    bareLoop(counts, ch, offset, gpc, 40);
    best = Math.min(best, performance.now() - t0);
  }
  return { samplesPerS: (rows * ch) / (best / 1000) };
}

const baseline = bare();
const pick = (r: Parameters<typeof boardFor>[0]) => boardFor(r);
const rows: [string, number, number][] = [["bare loop", baseline.samplesPerS, 1]];
for (const [name, rate] of traceReadRates(path)) rows.push([name, rate, rate / baseline.samplesPerS]);
const binPath = path.replace(/\.csv$/, ".bin");
convertTrace(path, binPath);
async function rate(runner: (typeof RUNNERS_TO_BENCH)[number], file: string): Promise<number> {
  await replayTrace(file, { runners: [runner] }, pick);
  let best = 0;
  for (let i = 0; i < 2; i++) {
    const [e] = await replayTrace(file, { runners: [runner] }, pick);
    best = Math.max(best, e.samples / (e.wallMs / 1000));
  }
  return best;
}
const RUNNERS_TO_BENCH = allRunners();
const sourceBin = await rate("source", binPath);
rows.push(["source bin", sourceBin, sourceBin / baseline.samplesPerS]);
for (const runner of RUNNERS_TO_BENCH) {
  const r = await rate(runner, path);
  rows.push([runner, r, r / baseline.samplesPerS]);
}
process.stdout.write(`replay throughput on a ${minutes}-minute, ${trace.channels.length}-channel, 80 SPS trace (${trace.sampleCount} samples)\n`);
process.stdout.write(`${"".padEnd(10)} ${"samples/s".padStart(14)} ${"vs bare loop".padStart(13)}\n`);
for (const [name, rate, ratio] of rows) {
  process.stdout.write(`${name.padEnd(10)} ${Math.round(rate).toLocaleString("en").padStart(14)} ${(ratio * 100).toFixed(2).padStart(12)}%\n`);
}
process.stdout.write("\n");
const rateOf = (name: string) => rows.find((r) => r[0] === name)?.[1] ?? NaN;
const targets: [string, number, number, string][] = [
  ["source on the binary form, share of the bare loop", sourceBin / baseline.samplesPerS, 0.25, "%"],
  ["source on CSV, samples/s", rateOf("source"), 5e6, "M"],
  ["espruino, share of source (CSV)", rateOf("espruino") / rateOf("source"), 0.5, "%"],
  ["luajit, samples/s", rateOf("luajit"), 3e6, "M"],
  ["lua5.1, samples/s", rateOf("lua51"), 0.5e6, "M"],
];
const show = (x: number, unit: string) => (unit === "%" ? `${(x * 100).toFixed(1)}%` : `${(x / 1e6).toFixed(2)} M/s`);
process.stdout.write("issue #4's targets\n");
for (const [what, got, want, unit] of targets) {
  process.stdout.write(`  ${got >= want ? "met  " : "UNMET"} ${what.padEnd(52)} ${show(got, unit).padStart(10)}  (target ${show(want, unit)})\n`);
}
process.stdout.write("\n");
await mqttBench((line) => process.stdout.write(line + "\n"));
if (process.argv.includes("--long")) longRun(Number(process.argv[process.argv.indexOf("--long-gb") + 1]) || 2, (line) => process.stdout.write(line + "\n"));
