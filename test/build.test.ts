import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { boardIds, loadBoard } from "../tools/build/board-file.ts";
import { BudgetError, buildApp, cachedBuild, compileApp } from "../tools/build/build.ts";
import { APPS } from "../tools/build/entry.ts";
import { DialectError, checkDialect } from "../tools/dialect/check.ts";

const out = mkdtempSync(join(tmpdir(), "aisle-build-"));

describe("aisle build", () => {
  for (const board of boardIds()) {
    for (const app of APPS) {
      it(`builds ${app} for ${board}, within budget, with its footprint beside it`, async () => {
        const dir = join(out, board, app);
        const built = await buildApp(board, app, dir);
        const b = loadBoard(board);
        const fp = JSON.parse(readFileSync(join(dir, "footprint.json"), "utf8"));
        expect(fp).toEqual(built.footprint);
        expect(fp.bundle_bytes).toBe(Object.values(built.files).reduce((s, t) => s + Buffer.byteLength(t), 0));
        expect(fp.bundle_bytes).toBeLessThanOrEqual(b.budget.bundle_bytes);
        if (b.platform === "espruino") {
          expect(Object.keys(built.files)).toEqual([`aisle-${app}.js`]);
          const js = readFileSync(join(dir, `aisle-${app}.js`), "utf8");
          expect(() => new vm.Script(js)).not.toThrow();
          // Minified: one wrapper line, no comments, no indentation.
          expect(js.split("\n").length).toBeLessThan(12);
          expect(js).not.toMatch(/\/\*|^\s{2,}\S/m);
        } else {
          expect(Object.keys(built.files).sort()).toEqual([`aisle-${app}.lua`, "init.lua"]);
          for (const f of Object.keys(built.files)) execFileSync(`luac${b.lua}`, ["-p", join(dir, f)]);
          expect(built.files["init.lua"]).toContain(`pcall(dofile, "aisle-${app}.lua")`);
          // The footprint: the Lua heap after boot as flashed, under both Luas; within budget on the board's own (a 32-bit Lua 5.1 for the ESP8266).
          const heap = fp.lua_heap_after_boot_bytes;
          expect(heap["lua5.3"]).toBeGreaterThan(4096);
          if (b.lua === "5.1") {
            // The same bundle on a 64-bit Lua 5.3 takes more than on the ESP8266's 32-bit Lua 5.1.
            expect(fp.lua51_bits).toBe(32);
            expect(heap["lua5.1"]).toBeGreaterThan(4096);
            expect(heap["lua5.3"]).toBeGreaterThan(heap["lua5.1"]);
          } else {
            expect(Object.keys(heap)).toEqual(["lua5.3"]);
          }
          expect(heap[b.lua === "5.3" ? "lua5.3" : "lua5.1"]).toBeLessThanOrEqual(b.budget.lua_heap_after_boot_bytes!);
        }
      });
    }
  }

  it("replays the very bundle it would flash: the simulator's cached build is byte-identical", async () => {
    for (const [board, app] of [["espruino-esp8266", "shelf"], ["nodemcu-esp8266", "shelf"]] as const) {
      const flashed = await buildApp(board, app, join(out, "same", board));
      expect((await cachedBuild(board, app)).files).toEqual(flashed.files);
    }
  });

  it("refuses a source outside the dialect with file:line and the rule, before writing anything", async () => {
    const entry = resolve("build/.gen/violating-main.ts");
    writeFileSync(entry, 'import { f } from "../../test/dialect/fixtures/optional-chaining";\nf(undefined);\n');
    const problems = await checkDialect([entry], "espruino");
    expect(problems).toEqual([expect.objectContaining({ file: "test/dialect/fixtures/optional-chaining.ts", line: 2, rule: "optional-chaining" })]);
    expect(new DialectError(problems).message).toContain("test/dialect/fixtures/optional-chaining.ts:2:10  [optional-chaining]  Espruino has no ?.");
  });

  it("fails the build, and leaves the old bundle alone, when the bundle is over the board's budget", async () => {
    const dir = join(out, "budget");
    await buildApp("espruino-esp8266", "gate", dir);
    const before = readFileSync(join(dir, "aisle-gate.js"), "utf8");
    const board = JSON.parse(readFileSync("boards/espruino-esp8266.json", "utf8"));
    board.budget.bundle_bytes = 1024;
    board.id = "tiny-budget";
    const path = join(out, "tiny-budget.json");
    writeFileSync(path, JSON.stringify(board));
    await expect(compileApp(path, "gate")).rejects.toBeInstanceOf(BudgetError);
    await expect(buildApp(path, "gate", dir)).rejects.toThrow(/tiny-budget\/gate: the bundle is \d+ bytes, over the board's budget of 1024/);
    expect(readFileSync(join(dir, "aisle-gate.js"), "utf8")).toBe(before);
    expect(existsSync(`${dir}.tmp-${process.pid}`)).toBe(false);
  });

  it("fails a NodeMCU build whose Lua heap after boot is over the board's budget, measured on the board's own Lua", async () => {
    const board = JSON.parse(readFileSync("boards/nodemcu-esp8266.json", "utf8"));
    board.budget.lua_heap_after_boot_bytes = 6000;
    board.id = "tiny-heap";
    const path = join(out, "tiny-heap.json");
    writeFileSync(path, JSON.stringify(board));
    await expect(compileApp(path, "shelf")).rejects.toThrow(/tiny-heap\/shelf: \d+ bytes of Lua heap in use after boot, over the board's budget of 6000 \(budget.lua_heap_after_boot_bytes in the board file\)/);
    board.budget.lua_heap_after_boot_bytes = 24576;
    writeFileSync(path, JSON.stringify(board));
    expect((await compileApp(path, "shelf")).footprint.lua_heap_after_boot_bytes!["lua5.1"]).toBeLessThan(24576);
  });
});
