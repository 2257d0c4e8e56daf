import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { espruinoApp } from "../../tools/build/espruino-bundle.ts";
import { luaBundle } from "../../tools/build/lua-bundle.ts";
import { checkDialect, type DialectProblem } from "../../tools/dialect/check.ts";
import { DIALECT_RULES } from "../../tools/dialect/rules.ts";
import { EspruinoBoard } from "../../sim/espruino/espruino-board.ts";

const FIXTURES = resolve("test/dialect/fixtures");
const ruleFixtures = DIALECT_RULES.map((r) => r.id);

describe("the firmware dialect", () => {
  let problems: DialectProblem[];

  beforeAll(async () => {
    // One program and one lint run over every fixture: each fixture is then judged on its own lines.
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".ts")).map((f) => join(FIXTURES, f));
    problems = await checkDialect(files, "firmware");
  });

  it("has one fixture per rule, and no fixture without a rule", () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".ts") && !f.startsWith("allowed")).map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual([...ruleFixtures].sort());
  });

  for (const id of ruleFixtures) {
    it(`fires ${id} at the marked line, with file and line`, () => {
      const file = `test/dialect/fixtures/${id}.ts`;
      const line = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes("VIOLATION")) + 1;
      expect(line).toBeGreaterThan(0);
      const hits = problems.filter((p) => p.file === file && p.rule === id);
      expect(hits.map((h) => h.line)).toContain(line);
    });
  }

  it("finds nothing wrong with the allowed-features fixture", () => {
    expect(problems.filter((p) => p.file.includes("/allowed"))).toEqual([]);
  });

  it("finds nothing wrong with the real apps and ports", async () => {
    const roots = ["firmware/apps/shelf/start.ts", "firmware/apps/gate/start.ts", "hal/espruino/hal.ts"].map((f) => resolve(f));
    expect(await checkDialect(roots, "espruino")).toEqual([]);
    expect(await checkDialect([resolve("hal/nodemcu/hal.ts")], "nodemcu")).toEqual([]);
  });

  it("allows bitwise operators in the Espruino port only", async () => {
    const bitwise = join(FIXTURES, "bitwise.ts");
    expect((await checkDialect([bitwise], "espruino")).filter((p) => p.rule === "bitwise")).toEqual([]);
    expect((await checkDialect([bitwise], "nodemcu")).filter((p) => p.rule === "bitwise")).toHaveLength(1);
  });
});

describe("the allowed features run the same on both targets", () => {
  const entry = join(FIXTURES, "allowed-main.ts");
  let expected: string[];

  beforeAll(async () => {
    const lines: string[] = [];
    const board = new EspruinoBoard({ code: await espruinoApp(entry), filename: "allowed.js", mode: "vm", storage: new Map(), onLine: (l) => lines.push(l) });
    board.boot();
    expect(board.errors).toEqual([]);
    expected = lines;
  });

  it("prints every line on the Espruino bundle", () => {
    expect(expected.length).toBeGreaterThan(30);
    expect(expected).toContain("mod 2 1 1.5");
    expect(expected).toContain("fixed 0 1234.57 -352.10 1");
    expect(expected).toContain("try fine / caught boom");
  });

  for (const [lua, target] of [["lua5.1", "5.1"], ["lua5.3", "5.3"]] as const) {
    it(`prints the same lines under ${lua}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "aisle-allowed-"));
      const file = join(dir, "allowed.lua");
      writeFileSync(file, luaBundle(entry, target, "allowed.lua"));
      execFileSync(`luac${target}`, ["-p", file]);
      const out = execFileSync(lua, [file], { encoding: "utf8" });
      expect(out.trimEnd().split("\n")).toEqual(expected);
    });
  }
});
