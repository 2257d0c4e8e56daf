import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EspruinoBoard } from "../sim/espruino/espruino-board.ts";
import { bootJsVars } from "../sim/espruino/jsvar-app.ts";
import { FIXTURE_MODES, fixtureNames, fixtureText, modelUsage, REAL_USAGE_FILE, type FixtureMode } from "../sim/espruino/jsvar-fixtures.ts";
import { INTERPRETER_JSVARS } from "../sim/espruino/jsvar-meter.ts";
import { BudgetError, buildApp, compileApp } from "../tools/build/build.ts";

/*
 * The virtual board counts JsVars as Espruino 2v29 does. Each fixture in test/fixtures/jsvars
 * was booted on the real interpreter (32-bit Linux build, 1,700 variables: the ESP8266's 12-byte
 * JsVars) and process.memory().usage recorded in real-usage.json by tools/measure-jsvars.ts.
 *
 * Tolerance: one variable. The model reproduces every fixture exactly; the one thing it cannot
 * see is whether a whole number below 1,024 is an integer (kept inside its name, no variable)
 * or a float (one variable) in Espruino, where V8 shows both the same. Any larger gap is a
 * change in how Espruino stores something, and the fixture should be measured again.
 */
const TOLERANCE_VARS = 1;

interface RealUsage {
  interpreter: { version: string; board: string; total: number; blocksize: number };
  usage: Record<string, Record<FixtureMode, number>>;
}

const real = JSON.parse(readFileSync(REAL_USAGE_FILE, "utf8")) as RealUsage;

function boardRunning(code: string, lines: string[]): EspruinoBoard {
  return new EspruinoBoard({ code, filename: "t.js", mode: "vm", storage: new Map(), onLine: (l) => lines.push(l) });
}

describe("JsVars on the virtual Espruino board, against the real interpreter", () => {
  it("was calibrated on Espruino 2v29 with the ESP8266's layout, and has a figure for every fixture and mode", () => {
    expect(real.interpreter).toMatchObject({ version: "2v29", total: 1700, blocksize: 12 });
    expect(Object.keys(real.usage).sort()).toEqual(fixtureNames());
    for (const name of fixtureNames()) expect(Object.keys(real.usage[name]).sort()).toEqual([...FIXTURE_MODES].sort());
    // The empty program is the interpreter's own variables plus the keep-alive timer: the timer
    // object, "time", "intr" and "cb" with their values (the function has no code), its index.
    expect(real.usage.empty.flash).toBe(INTERPRETER_JSVARS + 8);
  });

  for (const name of fixtureNames()) {
    it(`${name}: uploaded to RAM, and loaded from flash as text and pretokenised`, async () => {
      const got: Record<string, number> = {};
      for (const mode of FIXTURE_MODES) {
        const m = modelUsage(await fixtureText(name, mode), mode);
        expect(m.errors, `${name} ${mode}`).toEqual([]);
        got[mode] = m.usage;
      }
      console.log(`${name}: model ${JSON.stringify(got)}, real ${JSON.stringify(real.usage[name])}`);
      for (const mode of FIXTURE_MODES) expect(Math.abs(got[mode] - real.usage[name][mode]), `${name} ${mode}: model ${got[mode]}, real ${real.usage[name][mode]}`).toBeLessThanOrEqual(TOLERANCE_VARS);
    });
  }

  it("process.memory() inside the board reports usage, free and total in 12-byte JsVars", () => {
    const lines: string[] = [];
    const board = boardRunning("var keep = [1, 2, 3];\nvar m = process.memory();\nprint(JSON.stringify(m));", lines);
    board.countJsVars(1700);
    board.boot();
    const m = JSON.parse(lines[0]) as { usage: number; free: number; total: number; blocksize: number };
    expect(m.total).toBe(1700);
    expect(m.blocksize).toBe(12);
    expect(m.usage + m.free).toBe(1700);
    expect(m.usage).toBeGreaterThan(INTERPRETER_JSVARS);
    expect(board.memory().total).toBe(1700);
  });

  it("counting does not change what the code does", () => {
    const code = [
      "class Acc { constructor() { this.sum = 0; } add(v) { this.sum = this.sum + v; return this; } }",
      "const make = (k) => { let n = 0; return () => { n = n + k; return n; }; };",
      "const inc = make(3); let log = []; for (let i = 0; i < 3; i++) log.push(inc());",
      "const t = new Uint8Array(E.toArrayBuffer('abc')); const s = 'x,y'.split(',');",
      "print(JSON.stringify([new Acc().add(2).add(5).sum, log, t.length, s, typeof getTime()]));",
    ].join("\n");
    const plain: string[] = [];
    const counted: string[] = [];
    boardRunning(code, plain).boot();
    const b = boardRunning(code, counted);
    b.countJsVars(1700);
    b.boot();
    expect(counted).toEqual(plain);
    expect(plain).toEqual(['[7,[3,6,9],3,["x","y"],"number"]']);
    expect(b.errors).toEqual([]);
  });

  it("a function's code costs a copy in RAM when uploaded and one variable when run from flash", () => {
    const body = "var total = a; total = total + 1; total = total * 2; total = total - 3; return total + 0.5;";
    const fn = `function f(a){ ${body} }\nsetInterval(function(){}, 1e6);\n`;
    const ram = modelUsage(fn, "ram").usage;
    const flash = modelUsage(fn, "flash").usage;
    // Over 16 characters, the RAM copy is a flat string: a header and the text in 12-byte blocks.
    expect(ram - flash).toBe(1 + Math.ceil(body.length / 12) - 1);
  });

  it("says what is wrong when it cannot count", () => {
    const direct = new EspruinoBoard({ code: "", filename: "t.js", mode: "direct", storage: new Map(), onLine: () => {} });
    expect(() => direct.countJsVars(1700)).toThrow(/vm mode/);
    expect(() => boardRunning("", []).memory()).toThrow(/countJsVars\(\) before boot\(\)/);
  });

  it("aisle build reports JsVars after boot, and fails, leaving the old bundle alone, over the board's JsVar budget", async () => {
    const out = mkdtempSync(join(tmpdir(), "aisle-jsvars-"));
    const dir = join(out, "gate");
    const built = await buildApp("espruino-esp8266", "gate", dir);
    expect(built.footprint.jsvars_after_boot).toBe(bootJsVars(built.files["aisle-gate.js"], 1700).usage);
    expect(JSON.parse(readFileSync(join(dir, "footprint.json"), "utf8")).jsvars_after_boot).toBe(built.footprint.jsvars_after_boot);
    const before = readFileSync(join(dir, "aisle-gate.js"), "utf8");
    const board = JSON.parse(readFileSync("boards/espruino-esp8266.json", "utf8"));
    board.id = "tiny-jsvars";
    board.budget.jsvars_after_boot = 100;
    const path = join(out, "tiny-jsvars.json");
    writeFileSync(path, JSON.stringify(board));
    await expect(compileApp(path, "gate")).rejects.toBeInstanceOf(BudgetError);
    await expect(buildApp(path, "gate", dir)).rejects.toThrow(/tiny-jsvars\/gate: \d+ JsVars in use after boot, over the board's budget of 100 \(budget.jsvars_after_boot in the board file\); most held by /);
    expect(readFileSync(join(dir, "aisle-gate.js"), "utf8")).toBe(before);
    expect(existsSync(`${dir}.tmp-${process.pid}`)).toBe(false);
  });

  it("boots a bundle and names what holds the most", () => {
    const m = bootJsVars("var S = require('Storage');\nS.write('.bootcde', 'var big = []; for (var i = 0; i < 40; i++) big.push(i * 1000); setInterval(function(){}, 1000);');\nload();\n", 1700);
    expect(m.errors).toEqual([]);
    expect(m.top[0][0]).toBe("big");
    // Its name, the array, 40 index names, and 38 integers too big to live in their name (0 and 1000 fit).
    expect(m.top[0][1]).toBe(1 + 1 + 40 + 38);
    expect(m.free).toBe(1700 - m.usage);
  });
});
