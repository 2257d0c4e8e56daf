import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GATE_SCENARIO_NAMES } from "../sim/gen/gate-scenarios.ts";

const aisle = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["tools/aisle.mjs", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const fresh = () => mkdtempSync(join(tmpdir(), "aisle-gen-gate-"));

describe("aisle gen gate", () => {
  it("writes every scenario with --scenario all, lists them with --json, and the replay reads them all", () => {
    const dir = fresh();
    const r = aisle("gen", "gate", "--scenario", "all", "--seed", "1", "--out", join(dir, "suite", "g"), "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const written = JSON.parse(r.out) as { scenario: string; trace: string; truth: string; events: number; passages: number }[];
    expect(written.map((w) => w.scenario)).toEqual(GATE_SCENARIO_NAMES);
    for (const w of written) {
      expect(w.trace).toBe(join(dir, "suite", `g-${w.scenario}.trace.csv`));
      expect(readFileSync(w.truth, "utf8").split("\n").filter(Boolean)).toHaveLength(w.events);
    }
    expect(written.reduce((a, w) => a + w.passages, 0)).toBeGreaterThanOrEqual(300);

    const replay = aisle("replay", join(dir, "suite"), "--runner", "source", "--json");
    expect(replay.err).toBe("");
    expect(replay.code).toBe(0);
    const traces = JSON.parse(replay.out).traces as { trace: string; truth: number; samples: number }[];
    expect(traces).toHaveLength(GATE_SCENARIO_NAMES.length);
    for (const t of traces) {
      expect(t.truth).toBe(written.find((w) => w.trace === t.trace)!.events);
      expect(t.samples).toBeGreaterThan(0);
    }

    // One scenario alone, twice: the same bytes as each other and as in the suite.
    const again = [1, 2].map((i) => {
      const out = join(dir, `single-${i}`);
      expect(aisle("gen", "gate", "--scenario", "single", "--seed", "1", "--out", out).code).toBe(0);
      return readFileSync(`${out}.trace.csv`, "utf8") + readFileSync(`${out}.truth.jsonl`, "utf8");
    });
    expect(again[1]).toBe(again[0]);
    expect(again[0]).toBe(readFileSync(join(dir, "suite", "g-single.trace.csv"), "utf8") + readFileSync(join(dir, "suite", "g-single.truth.jsonl"), "utf8"));
  });

  it("refuses an unknown scenario, a bad seed or duration, and an unwritable --out with exit code 2, writing nothing", () => {
    const dir = fresh();
    const out = join(dir, "x");
    const unknown = aisle("gen", "gate", "--scenario", "turnstile", "--out", out);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(`--scenario must be one of ${GATE_SCENARIO_NAMES.join(", ")} or all, not "turnstile"`);
    for (const seed of ["x", "-1", "1.5", "", "2147483648"]) {
      const r = aisle("gen", "gate", "--scenario", "single", "--seed", seed, "--out", out);
      expect(r.code, seed).toBe(2);
      expect(r.err).toContain(`--seed must be a whole number from 0 to 2147483647, not ${JSON.stringify(seed)}`);
    }
    const short = aisle("gen", "gate", "--scenario", "single", "--duration-s", "30", "--out", out);
    expect(short.code).toBe(2);
    expect(short.err).toContain("--duration-s must be a whole number from 90");
    expect(aisle("gen", "gate", "--scenario", "single").code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);

    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const blocked = aisle("gen", "gate", "--scenario", "single", "--out", join(file, "sub", "g"));
    expect(blocked.code).toBe(2);
    expect(blocked.err).toContain(`aisle: --out: cannot write ${join(file, "sub", "g")}.trace.csv`);
    expect(blocked.err).not.toContain("    at ");
    expect(readdirSync(dir)).toEqual(["a-file"]);
  });
});
