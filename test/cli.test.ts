import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const aisle = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["tools/aisle.mjs", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("the aisle command", () => {
  it("lists every command in --help", () => {
    const r = aisle("--help");
    expect(r.code).toBe(0);
    for (const cmd of ["build", "replay", "boards", "check"]) expect(r.out).toMatch(new RegExp(`^  ${cmd} `, "m"));
  });

  it("replays a trace with --json exactly in the documented shape", () => {
    const r = aisle("replay", "data/demo/shelf-demo.trace.csv", "--runner", "all", "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(["traces", "parity"]);
    expect(doc.parity).toBe(true);
    expect(doc.traces.map((t: { runner: string }) => t.runner)).toEqual(["source", "espruino", "lua51", "luajit", "lua53"]);
    for (const t of doc.traces) {
      expect(Object.keys(t)).toEqual(["trace", "runner", "samples", "events", "detected", "truth", "precision", "recall", "f1", "count_accuracy", "grams_mae", "wall_ms"]);
      expect(t.trace).toBe("data/demo/shelf-demo.trace.csv");
      expect(t.samples).toBe(19204);
      expect(t.detected).toBe(t.events.length);
      expect(Object.keys(t.events[0]).slice(0, 5)).toEqual(["type", "lane", "t_ms", "grams", "count"]);
    }
  });

  it("prints null scores for a trace without truth", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-cli-"));
    copyFileSync("test/fixtures/traces/spec-shelf.trace.csv", join(dir, "a.trace.csv"));
    const r = aisle("replay", join(dir, "a.trace.csv"), "--json");
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out).traces[0];
    expect([t.truth, t.precision, t.recall, t.f1, t.count_accuracy, t.grams_mae]).toEqual([null, null, null, null, null, null]);
  });

  it("reports a malformed trace with file and line, still replays the others, and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-cli-"));
    const bad = join(dir, "bad.trace.csv");
    writeFileSync(bad, readFileSync("test/fixtures/traces/spec-shelf.trace.csv", "utf8").replace("12.5,1642991", "12.5,16429x1"));
    const r = aisle("replay", bad, "data/demo/gate-demo.trace.csv", "--json");
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:10: column p0: "16429x1" is not a number`);
    expect(JSON.parse(r.out).traces.map((t: { trace: string }) => t.trace)).toEqual(["data/demo/gate-demo.trace.csv"]);
  });

  it("refuses bad arguments with exit code 2 and says why", () => {
    expect(aisle("replay", "data/demo/shelf-demo.trace.csv", "--runner", "qemu").code).toBe(2);
    const two = aisle("replay", "data/demo/shelf-demo.trace.csv", "data/demo/gate-demo.trace.csv", "--truth", "x.jsonl");
    expect(two.code).toBe(2);
    expect(two.err).toContain("--truth names the truth of one trace");
    const missing = aisle("replay", "no/such.trace.csv");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such trace: no/such.trace.csv");
    expect(aisle("build", "--board", "espruino-esp32").code).toBe(2);
  });

  it("names the problem with an unknown board and writes nothing", () => {
    const r = aisle("build", "--board", "esp-nope", "--app", "shelf");
    expect(r.code).toBe(1);
    expect(r.err).toContain("boards/esp-nope.json: no such board; known boards: espruino-esp32, espruino-esp8266, nodemcu-esp32, nodemcu-esp8266");
  });

  it("builds into --out and prints the footprint with --json", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "aisle-cli-")), "out");
    const r = aisle("build", "--board", "nodemcu-esp8266", "--app", "gate", "--out", dir, "--json");
    expect(r.code).toBe(0);
    const fp = JSON.parse(r.out);
    expect(fp).toMatchObject({ board: "nodemcu-esp8266", app: "gate", platform: "nodemcu", lua: "5.1" });
    expect(fp.bundle_bytes).toBe(fp.files["init.lua"] + fp.files["aisle-gate.lua"]);
    expect(JSON.parse(readFileSync(join(dir, "footprint.json"), "utf8")).bundle_bytes).toBe(fp.bundle_bytes);
  });
});
