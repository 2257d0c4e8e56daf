import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { luaBundle } from "../tools/build/lua-bundle.ts";

/*
 * Lazy imports in NodeMCU bundles (tools/build/lua-modules.ts): the module and what it alone
 * imports load for each call and go again, modules holding state stay shared with the boot code,
 * and what cannot work lazily is refused at build time.
 */

const F = "test/fixtures/lazy";
const dir = mkdtempSync(join(tmpdir(), "aisle-lazy-"));

function run(entry: string, lazy: Record<string, string[]>, lua: "5.1" | "5.3"): string[] {
  const file = join(dir, `${entry}-${lua}.lua`);
  writeFileSync(file, luaBundle(resolve(F, `${entry}.ts`), lua, "lazy.lua", "nodemcu", lazy));
  return execFileSync(`lua${lua}`, [file], { encoding: "utf8" }).trim().split("\n");
}

describe("lazy imports in Lua bundles", () => {
  for (const lua of ["5.1", "5.3"] as const) {
    it(`loads a lazy module afresh at each call, sharing a module that holds state with the boot code (lua${lua})`, () => {
      expect(run("main", {}, lua)).toEqual(["greet loaded", "hello a 2", "hello b 3", "tally 4"]);
      expect(run("main", { [`${F}/main`]: [`${F}/greet`] }, lua)).toEqual(["greet loaded", "hello a 2", "greet loaded", "hello b 3", "tally 4"]);
    });
  }

  it("refuses a class imported lazily", () => {
    expect(() => run("class-main", { [`${F}/class-main`]: [`${F}/box`] }, "5.1")).toThrow(/uses Box of test\/fixtures\/lazy\/box, which it imports lazily, other than in a call/);
  });

  it("refuses a lazily loaded module that keeps state in module-level variables", () => {
    expect(() => run("stateful-main", { [`${F}/stateful-main`]: [`${F}/stateful`] }, "5.1")).toThrow(/stateful\.ts:1: NodeMCU loads this module afresh/);
  });
});
