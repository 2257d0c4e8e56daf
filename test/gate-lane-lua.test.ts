import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkDialect } from "../tools/dialect/check.ts";
import { luaBundle } from "../tools/build/lua-bundle.ts";
import { scriptText, type Step } from "./support/gate-script.ts";
import { world } from "./support/gate-world.ts";

/*
 * The same lane state machine in JS and under lua5.1 and lua5.3 (typescript-to-lua): a fixed set
 * of scripts, the examples of test/gate-lane.test.ts and seeded random lanes with the clock ticking
 * at random, printed event by event, lock command by lock command, with the state at each tick.
 */
const EXAMPLES = [
  "1000 a 1;1500 d 0;1900 o 1;2260 i 1;2660 o 0;3030 i 0;3960 d 1;4011 k 0;4600 k 0",
  "1000 a 1;11049 k 0;11051 k 0",
  "1000 a 1;9000 o 1;11500 k 0;12000 o 0;12049 k 0;12051 k 0",
  "10000 d 0;10250 i 1;10580 o 1;10850 i 0;11150 o 0;12000 d 1",
  "2000 o 1;2600 d 0;2700 i 1;2900 o 0;3000 i 0;5000 d 1",
  "5000 d 0;5400 d 1;5600 k 0;5700 d 0;5800 d 1",
  "5000 d 0;5300 a 1;5500 o 1;5800 i 1;6000 o 0;6300 i 0;7000 d 1",
  "1000 a 1;1500 d 0;10000 e 1;10030 k 0;20000 e 0;20049 k 0;40000 d 1",
  "1000 o 1;1040 o 0;2000 i 1;2049 i 0;3000 d 0;3020 d 1;4000 e 1;4010 e 0;9000 k 0",
  "1000 a 1;2000 o 1;21000 d 0;22000 i 1;22300 o 0;22600 i 0;24000 d 1",
];

function randomScripts(): string[] {
  const worlds = fc.sample(fc.tuple(world, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 })), { seed: 6063, numRuns: 40 });
  return worlds.map(([w, ticks]) => scriptText([...w.steps, ...ticks.map((x): Step => ({ t: Math.round(x * w.endMs), sig: "k", v: 0 }))].sort((a, b) => a.t - b.t || (a.sig === "k" ? 1 : 0) - (b.sig === "k" ? 1 : 0))));
}

describe("the gate lane under Lua", () => {
  it("is in the firmware dialect", async () => {
    const files = ["firmware/core/crossing-tracker.ts", "firmware/core/door-watch.ts", "firmware/core/gate-events.ts", "firmware/core/gate-lane.ts"].map((f) => resolve(f));
    expect(await checkDialect(files, "firmware")).toEqual([]);
  });

  it("prints the same lines in JS, under lua5.1 and under lua5.3", async () => {
    const scripts = [...EXAMPLES, ...randomScripts()];
    const g = globalThis as { print?: (s: string) => void; SCRIPTS?: string[] };
    const lines: string[] = [];
    g.print = (s: string) => lines.push(s);
    g.SCRIPTS = scripts;
    try {
      await import("./fixtures/gate-lane-main.ts");
    } finally {
      delete g.print;
      delete g.SCRIPTS;
    }
    expect(lines).toHaveLength(scripts.length);
    // What JS prints is right in itself (test/gate-lane.test.ts has the same cases).
    expect(lines[0]).toBe("0 locked released admitted@1000 entry@3030 locked state 4 state 0 state 0");
    expect(lines[4]).toBe("4 locked forced@2600 wrong_way@3000 state 0");
    expect(lines[7]).toBe("7 locked released admitted@1000 state 2 emergency@10000 state 2 locked held_open@35000 state 0");
    const all = lines.join(" ");
    for (const type of ["entry", "exit", "tailgate", "wrong_way", "forced", "held_open", "lock_fault", "emergency", "admitted"]) expect(all, type).toContain(`${type}@`);
    const dir = mkdtempSync(join(tmpdir(), "aisle-gate-"));
    const globals = `SCRIPTS = {${scripts.map((s) => JSON.stringify(s)).join(",")}}\n`;
    for (const [lua, target] of [["lua5.1", "5.1"], ["lua5.3", "5.3"]] as const) {
      const file = join(dir, `gate-${lua}.lua`);
      writeFileSync(file, globals + luaBundle(resolve("test/fixtures/gate-lane-main.ts"), target, "gate.lua"));
      expect(execFileSync(lua, [file], { encoding: "utf8", maxBuffer: 64 << 20 }).trimEnd().split("\n"), lua).toEqual(lines);
    }
  });
});
