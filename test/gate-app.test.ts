import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { admitLine } from "../sim/devices/stimuli.ts";
import { traceText } from "../sim/gen/trace-writer.ts";
import { allRunners, boardFor, parityOf, replayTrace } from "../sim/replay.ts";

/*
 * The gate app (firmware/apps/gate/start.ts) on every runner: the lanes' state machines fed by the
 * real ports, admissions typed on the console as `admit(LANE,"TOKEN")` (docs/gate.md), events
 * printed as "@aisle/DEV/event {json}" with one seq across lanes.
 */

const COLUMNS = ["G1.beam_outer", "G1.beam_inner", "G1.door_closed", "G1.admit", "G2.beam_outer", "G2.beam_inner", "G2.door_closed", "G2.admit", "emergency"];

/** Rows from "T COLUMN VALUE" changes. */
function rows(changes: [number, string, string | number][]): (string | number)[][] {
  const out: (string | number)[][] = [[0, 0, 0, 1, "", 0, 0, 1, "", 0]];
  for (const [t, col, v] of changes) {
    const r: (string | number)[] = [t, ...COLUMNS.map(() => "")];
    r[COLUMNS.indexOf(col) + 1] = v;
    out.push(r);
  }
  return out;
}

/** A body crossing lane L from `from` beam at t: near beam [t, t+400], far beam [t+300, t+700]. */
function body(lane: string, dir: "in" | "out", t: number): [number, string, number][] {
  const [near, far] = dir === "in" ? ["beam_outer", "beam_inner"] : ["beam_inner", "beam_outer"];
  return [[t, `${lane}.${near}`, 1], [t + 300, `${lane}.${far}`, 1], [t + 400, `${lane}.${near}`, 0], [t + 700, `${lane}.${far}`, 0]];
}

describe("the gate app", () => {
  it("publishes the same events on every runner: admitted entries, a tailgate, exits, a forced door, the emergency, a door held open", async () => {
    const changes: [number, string, string | number][] = [
      [1000, "G1.admit", "tok-a"], [1400, "G1.door_closed", 0], ...body("G1", "in", 1800), [3500, "G1.door_closed", 1],
      [2000, "G2.admit", "tok-b"], [2300, "G2.door_closed", 0], ...body("G2", "in", 2600), ...body("G2", "in", 3500), [5200, "G2.door_closed", 1],
      [8000, "G2.beam_outer", 1], [8900, "G2.door_closed", 0], [9200, "G2.beam_inner", 1], [9300, "G2.beam_outer", 0], [9600, "G2.beam_inner", 0], [11000, "G2.door_closed", 1],
      [12000, "emergency", 1], [12300, "G1.door_closed", 0], ...body("G1", "out", 12100), [16000, "G1.door_closed", 1], [20000, "emergency", 0],
      [22000, "G2.admit", "tok-c"], [22300, "G2.door_closed", 0], ...body("G2", "in", 22600), [45000, "G2.door_closed", 1],
    ];
    changes.sort((a, b) => a[0] - b[0] || COLUMNS.indexOf(a[1]) - COLUMNS.indexOf(b[1]));
    const dir = mkdtempSync(join(tmpdir(), "aisle-gate-app-"));
    const path = join(dir, "two-lanes.trace.csv");
    writeFileSync(path, traceText({ kind: "gate", device: "gate-test" }, COLUMNS, rows(changes)));
    const entries = await replayTrace(path, { runners: allRunners() }, (r) => boardFor(r));
    expect(entries.map((e) => e.runner)).toEqual(["source", "espruino", "lua51", "luajit", "lua53"]);
    for (const e of entries) expect(e.firmwareErrors, e.runner).toEqual([]);
    for (const e of entries) expect(e.payloads, e.runner).toEqual(entries[0].payloads);
    expect(parityOf(entries)).toBe(true);
    expect(entries[0].payloads).toEqual([
      { type: "entry", lane: "G1", t_ms: 2500 },
      { type: "entry", lane: "G2", t_ms: 3300 },
      { type: "tailgate", lane: "G2", t_ms: 4200 },
      { type: "forced", lane: "G2", t_ms: 8900 },
      { type: "wrong_way", lane: "G2", t_ms: 9600 },
      { type: "emergency", lane: "G1", t_ms: 12000 },
      { type: "emergency", lane: "G2", t_ms: 12000 },
      { type: "exit", lane: "G1", t_ms: 12800 },
      { type: "entry", lane: "G2", t_ms: 23300 },
      { type: "held_open", lane: "G2", t_ms: 37300 },
    ].map((e, k) => JSON.stringify({ ...e, seq: k + 1 })));
  });

  it("types an admission as the same call in JavaScript and Lua, any token arriving byte for byte", () => {
    const tokens = ["tok-7f3a", "a \"quoted\" \\ token", "é€ ✓", "0123", "x\n1"];
    const seen: string[] = [];
    for (const token of tokens) new Function("admit", admitLine({ kind: "admit", tUs: 0, lane: 1, token }, "js"))((lane: number, t: string) => seen.push(`${lane} ${t}`));
    expect(seen).toEqual(tokens.map((t) => `1 ${t}`));
    const lua = "function admit(lane, t) io.write(lane, ' ', (t:gsub('.', function(c) return string.format('%02x', c:byte()) end)), '\\n') end\n" +
      tokens.map((token) => admitLine({ kind: "admit", tUs: 0, lane: 1, token }, "lua")).join("\n") + "\n";
    const dir = mkdtempSync(join(tmpdir(), "aisle-admit-"));
    writeFileSync(join(dir, "admit.lua"), lua);
    for (const interpreter of ["lua5.1", "lua5.3"]) {
      expect(execFileSync(interpreter, [join(dir, "admit.lua")], { encoding: "utf8" }).trimEnd().split("\n"), interpreter).toEqual(tokens.map((t) => `1 ${Buffer.from(t, "utf8").toString("hex")}`));
    }
  });
});
