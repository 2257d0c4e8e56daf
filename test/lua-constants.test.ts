import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { luaBundle } from "../tools/build/lua-bundle.ts";

/*
 * Constants inlined into NodeMCU bundles (tools/build/lua-constants.ts): functions reading only
 * constants hold no upvalue for them, and what they compute is unchanged; a shadowing local, a
 * reassigned variable and an export that changes are left alone.
 */

const dir = mkdtempSync(join(tmpdir(), "aisle-const-"));

describe("constants inlined in Lua bundles", () => {
  for (const lua of ["5.1", "5.3"] as const) {
    it(`keep what each function computes, with no upvalue for a constant (lua${lua})`, () => {
      const bundle = join(dir, `main-${lua}.lua`);
      writeFileSync(bundle, luaBundle(resolve("test/fixtures/constants/main.ts"), lua, "main.lua"));
      const probe = join(dir, `probe-${lua}.lua`);
      writeFileSync(probe, `local m = dofile(${JSON.stringify(bundle)})
-- Upvalues but Lua 5.3's _ENV, which any function reading a global has.
local function nups(f)
  local n = 0
  for i = 1, debug.getinfo(f, "u").nups do
    if debug.getupvalue(f, i) ~= "_ENV" then n = n + 1 end
  end
  return n
end
print(m.shadowed(nil, 1), m.constants(nil, 2), m.label(nil), m.count(nil), m.count(nil), m.moved(nil), m.moved(nil))
print(nups(m.shadowed), nups(m.constants), nups(m.label), nups(m.count) > 0, nups(m.moved) > 0, nups(m.pair), table.concat(m.pair(nil), ","))
`);
      const out = execFileSync(`lua${lua}`, [probe], { encoding: "utf8" }).trim().split("\n");
      expect(out[0].split("\t").map((v) => v.replace(/\.0$/, ""))).toEqual(["11", "10.5", "limit:7", "1", "2", "2", "3"]);
      expect(out[1].split("\t")).toEqual(["0", "0", "0", "true", "true", "0", "3,7"]);
    });
  }
});
