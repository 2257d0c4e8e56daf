/*
 * The HTML replay report's cost, beside the bare loop over the same samples in this same process:
 *   node --import tsx bench/report.ts [--traces N] [--minutes M]
 * laneSeries (read a trace, sum lanes, downsample) in samples a second and as a share of the bare
 * loop; then writeReport for N traces (links to one generated M-minute trace, each scored with a
 * miss, a phantom and a wrong count), in ms a trace and MB, with and without reading the traces.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shelfDemo } from "../sim/gen/shelf-demo.ts";
import type { ReplayEntry } from "../sim/replay.ts";
import { laneSeries } from "../sim/report/lane-series.ts";
import { shelfSeries } from "../sim/report/shelf-series.ts";
import { writeReport } from "../sim/report/write-report.ts";
import { memoryShelfStream } from "../sim/trace/memory-stream.ts";
import { scoreEvents, type DetectedEvent } from "../sim/score.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import type { ShelfTrace } from "../sim/trace/trace-types.ts";
import { parseTruth } from "../sim/trace/truth.ts";
import { bareLoop } from "./bare-loop.ts";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const traces = arg("--traces", 1000);
const minutes = arg("--minutes", 1);
const dir = mkdtempSync(join(tmpdir(), "aisle-bench-report-"));
const demo = shelfDemo(42, 80, minutes * 60);
const base = join(dir, "base.trace.csv");
writeFileSync(base, demo.trace);
const trace = readTrace(base) as ShelfTrace;

const best = (f: () => void, runs = 5) => {
  f();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
};

const ch = trace.channels.length;
const rows = Math.min(...trace.samples.map((s) => s.counts.length));
const counts = new Int32Array(rows * ch);
for (let r = 0; r < rows; r++) for (let c = 0; c < ch; c++) counts[r * ch + c] = trace.samples[c].counts[r];
const bareMs = best(() => bareLoop(counts, ch, Float64Array.from(trace.channels.map((c) => c.offset)), Float64Array.from(trace.channels.map((c) => c.gramsPerCount)), 40));
const seriesMs = best(() => laneSeries(base));
// The report's own work, without reading CSV: from the stream every trace form opens to.
const sumMs = best(() => shelfSeries(memoryShelfStream(trace), 2000));
const mergeMs = best(() => {
  const s = memoryShelfStream(trace);
  while (s.next() !== undefined);
});
const bareRate = (rows * ch) / (bareMs / 1000);
const seriesRate = trace.sampleCount / (seriesMs / 1000);
const sumRate = trace.sampleCount / ((sumMs - mergeMs) / 1000);

const truth = parseTruth(demo.truth, "truth", "shelf");
const events: DetectedEvent[] = truth.slice(1, -1).map((t) => ({ type: t.type, lane: t.lane, t_ms: t.tEndMs + 500, grams: t.grams, count: t.count, t_start_ms: t.tStartMs }));
events.push({ ...events[0], t_ms: events[0].t_ms + 20_000 });
events[1] = { ...events[1], count: (events[1].count ?? 0) + 1 };
const entries: ReplayEntry[] = [];
for (let i = 0; i < traces; i++) {
  const path = join(dir, `t${i}.trace.csv`);
  symlinkSync(base, path);
  entries.push({
    trace: path, runner: "source", board: "-", samples: trace.sampleCount, events, payloads: events.map((e) => JSON.stringify(e)), health: [], outputs: [],
    truth, score: scoreEvents("shelf", events, truth), wallMs: 0, firmwareErrors: [],
  });
}
let t0 = performance.now();
const written = writeReport(join(dir, "report.html"), entries);
const reportMs = performance.now() - t0;
const series = laneSeries(base);
t0 = performance.now();
writeReport(join(dir, "report2.html"), entries, [], { seriesOf: () => series });
const htmlMs = performance.now() - t0;
rmSync(dir, { recursive: true, force: true });

const fmt = (x: number) => Math.round(x).toLocaleString("en");
process.stdout.write(`report on a ${minutes}-minute, ${ch}-channel, 80 SPS trace (${trace.sampleCount} samples)\n`);
process.stdout.write(`bare loop      ${fmt(bareRate).padStart(14)} samples/s\n`);
process.stdout.write(`laneSeries     ${fmt(seriesRate).padStart(14)} samples/s  ${((seriesRate / bareRate) * 100).toFixed(2)}% of the bare loop (CSV parse included)\n`);
process.stdout.write(`shelfSeries    ${fmt(sumRate).padStart(14)} samples/s  ${((sumRate / bareRate) * 100).toFixed(2)}% of the bare loop (lane sums and downsampling alone, from chunks)\n`);
process.stdout.write(`writeReport    ${traces} traces: ${fmt(reportMs)} ms (${(reportMs / traces).toFixed(2)} ms a trace), ${(written.bytes / 1e6).toFixed(1)} MB\n`);
process.stdout.write(`  of which HTML ${fmt(htmlMs)} ms (${(htmlMs / traces).toFixed(2)} ms a trace) when the series are at hand\n`);
