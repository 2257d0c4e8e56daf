/*
 * Trace reading throughput, for npm run bench (bench/run.ts puts it beside the bare loop):
 * streaming a shelf trace's chunks from CSV and from the binary form, nothing done with them.
 * With --long (npm run bench -- --long [--long-gb N], default 2), a multi-GB CSV trace is
 * written to the temp folder, converted to binary and streamed in both forms, each in a process
 * of its own whose peak RSS is reported beside that of the same read of a 10-minute trace; then
 * both are replayed through the firmware on the source runner, peak RSS watched the same way.
 * Run alone: node --import tsx bench/trace-read.ts [--long] [--long-gb N]
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { shelfDemo } from "../sim/gen/shelf-demo.ts";
import { boardFor, replayTrace } from "../sim/replay.ts";
import { convertTrace } from "../sim/trace/convert-trace.ts";
import { openTraceStream } from "../sim/trace/open-trace-stream.ts";
import type { ShelfStream } from "../sim/trace/trace-stream.ts";

/** Streams every chunk of a shelf trace; returns its samples. */
function drain(file: string): number {
  const s = openTraceStream(file) as ShelfStream;
  for (let c = s.next(); c !== undefined; c = s.next());
  return s.sampleCount;
}

/** Best samples/s over repeated whole reads (after warm-up), about a second in all. */
function bestRate(file: string): number {
  for (let i = 0; i < 3; i++) drain(file);
  let best = 0;
  const t0 = performance.now();
  for (let i = 0; i < 20 && performance.now() - t0 < 1500; i++) {
    const t = performance.now();
    const samples = drain(file);
    best = Math.max(best, samples / ((performance.now() - t) / 1000));
  }
  return best;
}

/** Reading rates of a CSV shelf trace and of its binary form (written beside it). */
export function traceReadRates(csv: string): [string, number][] {
  const bin = csv.replace(/\.trace\.csv$/, ".trace.bin");
  convertTrace(csv, bin);
  return [["read csv", bestRate(csv)], ["read bin", bestRate(bin)]];
}

interface ChildReport {
  samples: number;
  ms: number;
  peakRssMb: number;
}

/** One read or conversion in a process of its own, so that its peak RSS is its own. */
function inChild(mode: string, ...args: string[]): ChildReport {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", mode, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildReport;
}

/** Writes about `bytes` of CSV: the 10-minute demo's rows again and again, later each time. */
function writeLongCsv(path: string, bytes: number, base: string): void {
  const lines = base.trimEnd().split("\n");
  const header = lines.findIndex((l) => l.startsWith("t_ms"));
  const rows = lines.slice(header + 1).map((l) => [Number(l.slice(0, l.indexOf(","))), l.slice(l.indexOf(","))] as const);
  const spanMs = rows[rows.length - 1][0] + 12.5;
  const fd = openSync(path, "w");
  let written = writeSync(fd, lines.slice(0, header + 1).join("\n") + "\n");
  for (let k = 0; written < bytes; k++) {
    let out = "";
    for (const [t, rest] of rows) out += `${t + k * spanMs}${rest}\n`;
    written += writeSync(fd, out);
  }
  closeSync(fd);
}

export function longRun(gb: number, log: (line: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "aisle-bench-long-"));
  try {
    const base = shelfDemo(42, 80, 600).trace;
    const small = join(dir, "small.trace.csv");
    writeFileSync(small, base);
    convertTrace(small, small.replace(".csv", ".bin"));
    const csv = join(dir, "long.trace.csv");
    const bin = join(dir, "long.trace.bin");
    let t0 = performance.now();
    writeLongCsv(csv, gb * 1e9, base);
    log(`long run: wrote ${(statSync(csv).size / 1e9).toFixed(2)} GB of CSV in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const idle = inChild("idle");
    const convert = inChild("convert", csv, bin);
    log(`  convert csv → bin: ${(statSync(bin).size / 1e9).toFixed(2)} GB, ${fmt(convert.samples / (convert.ms / 1000))} samples/s, peak RSS ${convert.peakRssMb} MB`);
    const back = inChild("convert", bin, join(dir, "back.trace.csv"));
    rmSync(join(dir, "back.trace.csv"));
    log(`  convert bin → csv: ${fmt(back.samples / (back.ms / 1000))} samples/s, peak RSS ${back.peakRssMb} MB`);
    log("  each stream below is one pass in a fresh process (the 10-minute ones are mostly JIT warm-up)");
    log(`  ${"".padEnd(26)} ${"samples".padStart(15)} ${"samples/s".padStart(13)} ${"peak RSS".padStart(10)}`);
    log(`  ${"idle process".padEnd(26)} ${"".padStart(15)} ${"".padStart(13)} ${`${idle.peakRssMb} MB`.padStart(10)}`);
    for (const [name, file] of [["10-minute csv", small], ["long csv", csv], ["10-minute bin", small.replace(".csv", ".bin")], ["long bin", bin]]) {
      const r = inChild("read", file);
      log(`  ${`stream ${name}`.padEnd(26)} ${fmt(r.samples).padStart(15)} ${fmt(r.samples / (r.ms / 1000)).padStart(13)} ${`${r.peakRssMb} MB`.padStart(10)}`);
    }
    // The whole replay, firmware included, on the source runner: memory must stay as flat as reading.
    for (const [name, file] of [["10-minute bin", small.replace(".csv", ".bin")], ["long bin", bin]]) {
      const r = inChild("replay", file);
      log(`  ${`replay (source) ${name}`.padEnd(26)} ${fmt(r.samples).padStart(15)} ${fmt(r.samples / (r.ms / 1000)).padStart(13)} ${`${r.peakRssMb} MB`.padStart(10)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString("en");

async function child(mode: string, args: string[]): Promise<void> {
  const t0 = performance.now();
  let samples = 0;
  if (mode === "read") samples = drain(args[0]);
  if (mode === "convert") samples = convertTrace(args[0], args[1]).samples;
  if (mode === "replay") samples = (await replayTrace(args[0], { runners: ["source"] }, (r) => boardFor(r)))[0].samples;
  const report: ChildReport = { samples, ms: performance.now() - t0, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(JSON.stringify(report));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--child");
  if (at >= 0) await child(process.argv[at + 1], process.argv.slice(at + 2));
  else {
    const dir = mkdtempSync(join(tmpdir(), "aisle-bench-read-"));
    const csv = join(dir, "bench.trace.csv");
    writeFileSync(csv, shelfDemo(42, 80, 600).trace);
    for (const [name, rate] of traceReadRates(csv)) process.stdout.write(`${name.padEnd(10)} ${fmt(rate).padStart(14)} samples/s\n`);
    rmSync(dir, { recursive: true, force: true });
    if (process.argv.includes("--long")) longRun(Number(process.argv[process.argv.indexOf("--long-gb") + 1]) || 2, (l) => process.stdout.write(l + "\n"));
  }
}
