import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/*
 * QA's many-trace replay: folders and globs, worker threads with results that do not depend on
 * their number, a release gate on F1, a bad trace that does not stop the others, and no progress
 * bar where nobody watches a terminal.
 */

const aisle = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["tools/aisle.mjs", ...args], { encoding: "utf8", env: { ...process.env, CI: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const dir = mkdtempSync(join(tmpdir(), "aisle-many-"));

beforeAll(() => {
  const gen = aisle("gen", "shelf", "--scenario", "all", "--seed", "4", "--duration-s", "30", "--out", join(dir, "suite", "s"));
  expect(gen.code).toBe(0);
  mkdirSync(join(dir, "suite", "deeper"), { recursive: true });
  writeFileSync(join(dir, "suite", "deeper", "z-broken.trace.csv"), readFileSync(join(dir, "suite", "s-single.trace.csv"), "utf8").split("\n").slice(0, 40).join("\n") + "\n12.5,oops\n");
}, 120_000);

describe("aisle replay over many traces", () => {
  it("finds the traces in folders at any depth, gives the same --json for 1 and 2 worker threads, and still replays the rest when one is malformed", () => {
    const one = aisle("replay", join(dir, "suite"), "--jobs", "1", "--json");
    const two = aisle("replay", join(dir, "suite"), "--jobs", "2", "--json");
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(two.out).toBe(one.out);
    const doc = JSON.parse(one.out);
    expect(doc.traces).toHaveLength(11);
    expect(doc.traces.map((t: { trace: string }) => t.trace)).toEqual([...doc.traces.map((t: { trace: string }) => t.trace)].sort());
    for (const t of doc.traces) expect(t.wall_ms).toBeNull();
    expect(one.err).toMatch(/z-broken\.trace\.csv:\d+: /);
    expect(one.err.trim().split("\n")).toHaveLength(1);
  }, 300_000);

  it("stops a Lua runner cleanly when a streamed trace turns out malformed deep inside, naming file and line", () => {
    const r = aisle("replay", join(dir, "suite", "deeper", "z-broken.trace.csv"), "--runner", "lua51");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/z-broken\.trace\.csv:\d+: /);
    expect(r.out).toMatch(/^0 traces, 0 samples replayed, 1 could not be read; no truth to score against$/m);
  }, 120_000);

  it("takes glob patterns, prints a summary line, and shows no progress bar when stderr is not a terminal", () => {
    const r = aisle("replay", join(dir, "suite", "s-t*.trace.csv"));
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/s-touch\.trace\.csv/);
    expect(r.out).toMatch(/s-two-lanes\.trace\.csv/);
    expect(r.out).toMatch(/^2 traces, [\d,]+ samples replayed; pooled over scored traces: precision 1\.0000, recall 1\.0000, F1 1\.0000$/m);
  }, 120_000);

  it("shows a progress bar with rate and ETA on a terminal, and none under --json", () => {
    // script(1) gives the command a pseudo-terminal, as a person at a shell has.
    const onTty = (args: string) => spawnSync("script", ["-qec", `${process.execPath} tools/aisle.mjs replay ${args} > /dev/null`, "/dev/null"], { encoding: "utf8", env: { ...process.env, CI: "" } }).stdout;
    const bar = onTty(`${join(dir, "suite", "s-t*.trace.csv")} --jobs 1`);
    expect(bar).toMatch(/replay \[.*\] 2\/2 traces \| [\d,]+ samples\/s \| ETA/);
    expect(onTty(`${join(dir, "suite", "s-t*.trace.csv")} --jobs 1 --json`)).not.toMatch(/traces \|/);
  }, 120_000);

  it("fails a release gate with --min-f1, naming the trace that fell below it", () => {
    const trace = join(dir, "suite", "s-single.trace.csv");
    const truth = readFileSync(trace.replace(".trace.csv", ".truth.jsonl"), "utf8");
    const gate = join(dir, "gate");
    mkdirSync(gate, { recursive: true });
    writeFileSync(join(gate, "g.trace.csv"), readFileSync(trace));
    // One more true pick than happened: a miss, so F1 falls below 1.
    writeFileSync(join(gate, "g.truth.jsonl"), truth + JSON.stringify({ type: "pick", lane: "A1", t_start_ms: 29000, t_end_ms: 29500, grams: -330, count: 1 }) + "\n");
    expect(aisle("replay", gate, "--min-f1", "0.5").code).toBe(0);
    const r = aisle("replay", gate, "--min-f1", "0.999");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/g\.trace\.csv on source: F1 0\.\d+ is below --min-f1 0\.999/);
    expect(aisle("replay", gate, "--min-f1", "2").code).toBe(2);
    expect(aisle("replay", gate, "--jobs", "0").code).toBe(2);
    expect(aisle("replay", join(dir, "nothing-*.trace.csv")).code).toBe(2);
  }, 120_000);
});
