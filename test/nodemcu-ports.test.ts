import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runLuaBoard } from "../sim/nodemcu/lua-board.ts";
import { Random } from "../sim/gen/random.ts";
import { traceText } from "../sim/gen/trace-writer.ts";
import { boardFor, replayTrace } from "../sim/replay.ts";
import { runOnNodeMcu } from "../sim/runners/lua-runner.ts";
import { readTrace } from "../sim/trace/trace-reader.ts";
import { type BoardError, boardIds, loadBoard, parseBoard } from "../tools/build/board-file.ts";
import { compileApp } from "../tools/build/build.ts";
import { APPS, portFor } from "../tools/build/entry.ts";

/*
 * NodeMCU is two platforms: the ESP8266's release/dev branches and the ESP32's dev-esp32 differ in
 * the very modules the firmware needs (docs/research/nodemcu.md). The build picks the port by the
 * board's MCU, and each bundle calls only what its chip's NodeMCU has.
 */

const ESP8266_ONLY = [/\bhx711\./, /\bgpio\.mode\(/, /\bgpio\.(HIGH|LOW|INT|OUTPUT|INPUT)\b/, /\btmr\.now\(/, /\bfile\.(getcontents|putcontents|open)\(/];
const ESP32_ONLY = [/\bspi\.master\(/, /\bgpio\.config\(/, /\bgpio\.INTR_/, /\bnode\.uptime\(/, /\bio\.open\(/];

describe("the NodeMCU ports", () => {
  it("are picked by the board's platform and MCU", () => {
    const picked = Object.fromEntries(boardIds().map((id) => [id, portFor(loadBoard(id))]));
    expect(picked).toEqual({ "espruino-esp32": "espruino", "espruino-esp8266": "espruino", "nodemcu-esp32": "nodemcu-esp32", "nodemcu-esp8266": "nodemcu" });
  });

  for (const app of APPS) {
    it(`build a ${app} bundle for each chip that calls only that chip's NodeMCU`, async () => {
      const esp32 = (await compileApp("nodemcu-esp32", app)).files[`aisle-${app}.lua`];
      const esp8266 = (await compileApp("nodemcu-esp8266", app)).files[`aisle-${app}.lua`];
      for (const api of ESP8266_ONLY) expect(esp32, String(api)).not.toMatch(api);
      for (const api of ESP32_ONLY) expect(esp8266, String(api)).not.toMatch(api);
      if (app === "shelf") {
        expect(esp32).toMatch(/\bspi\.master\(/);
        expect(esp8266).toMatch(/\bhx711\.read\(/);
      }
      expect(esp32).toMatch(/\bgpio\.trig\(/);
    });
  }

  it("keep the ESP32 shelf with 4 cells within its board's heap after boot (measured on a 64-bit Lua 5.3, which overstates a 32-bit ESP32)", async () => {
    const result = await runOnNodeMcu(readTrace("data/demo/shelf-demo.trace.csv"), "lua53", "nodemcu-esp32");
    expect(result.errors).toEqual([]);
    console.log(`nodemcu-esp32 shelf, 64-bit Lua 5.3: ${result.heapAfterBootBytes} bytes of heap after boot; its code would take ${result.codeBytes} more in RAM`);
    expect(result.heapAfterBootBytes!).toBeLessThanOrEqual(loadBoard("nodemcu-esp32").budget.lua_heap_after_boot_bytes!);
    expect(result.events.length).toBe(11);
  });

  it("would not boot the ESP8266's shelf bundle on an ESP32, whose NodeMCU has no gpio.mode, hx711 or tmr.now", async () => {
    const built = await compileApp("nodemcu-esp8266", "shelf");
    const files = Object.entries(built.files).map(([n, t]) => `F ${n} ${Buffer.from(t).toString("hex")}`);
    const out = await runLuaBoard("lua5.3", ["M esp32 180000", ...files, "B init.lua aisle-shelf.lua", "E 1000000"]);
    expect(out.lines.find((l) => l.startsWith("E boot failed"))).toMatch(/attempt to (call|index) a nil value \((field 'mode'|global 'hx711'|field 'now')\)/);
  });
});

describe("ESP32 boards", () => {
  const variant = (edit: (b: Record<string, any>) => void): string[] => {
    const b = JSON.parse(readFileSync("boards/nodemcu-esp32.json", "utf8"));
    edit(b);
    try {
      parseBoard(JSON.stringify(b), "boards/nodemcu-esp32.json");
      return [];
    } catch (e) {
      return (e as BoardError).problems;
    }
  };

  it("are refused pins the ESP32 lacks, its flash's pins, and outputs on its input-only pins, with where", () => {
    expect(variant(() => {})).toEqual([]);
    expect(variant((b) => (b.shelf.cells[0].sck = 20))).toEqual(["/shelf/cells/0/sck: GPIO 20 does not exist on the ESP32"]);
    expect(variant((b) => (b.shelf.cells[1].dout = 7))).toEqual(["/shelf/cells/1/dout: GPIO 7 is wired to the module's flash on the ESP32"]);
    expect(variant((b) => (b.shelf.cells[2].sck = 34))).toEqual(["/shelf/cells/2/sck: GPIO 34 is an input only on the ESP32, so it cannot be an output"]);
    expect(variant((b) => (b.gate.lanes[0].lock = 39))).toEqual(["/gate/lanes/0/lock: GPIO 39 is an input only on the ESP32, so it cannot be an output"]);
    // An input may be on 34-39.
    expect(variant((b) => (b.gate.emergency = 36))).toEqual([]);
  });
});

describe("debounced inputs on every port", () => {
  // Edges on both beams 1 to 60 ms apart at odd µs, with longer pauses now and then: glitches
  // around the 20 ms debounce, which the ESP32's 10 ms timer ticks would otherwise decide otherwise.
  function glitchyGate(seed: number): string {
    const rnd = new Random(seed);
    const rows: (string | number)[][] = [[0, 0, 0, 1, "", 0]];
    const level = [0, 0];
    let t = 500;
    for (let i = 0; i < 200; i++) {
      t += rnd.next() < 0.2 ? rnd.between(100, 800) : rnd.between(1, 60);
      const col = rnd.next() < 0.5 ? 0 : 1;
      level[col] = 1 - level[col];
      const r: (string | number)[] = [Math.round(t * 1000) / 1000, "", "", "", "", ""];
      r[col + 1] = level[col];
      rows.push(r);
    }
    return traceText({ kind: "gate", device: "glitchy" }, ["G1.beam_outer", "G1.beam_inner", "G1.door_closed", "G1.admit", "emergency"], rows);
  }

  it("report the same passages from glitchy beams: Espruino's native debounce, the ESP8266's ms timers, the ESP32's ticks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-glitchy-"));
    for (const seed of [1, 2, 3, 4, 5]) {
      const path = join(dir, `glitchy-${seed}.trace.csv`);
      writeFileSync(path, glitchyGate(seed));
      const entries = await replayTrace(path, { runners: ["espruino", "lua51", "lua53"] }, boardFor);
      for (const e of entries) expect(e.firmwareErrors).toEqual([]);
      expect(entries[0].payloads.length).toBeGreaterThan(5);
      expect(entries[1].payloads, `seed ${seed}, lua51`).toEqual(entries[0].payloads);
      expect(entries[2].payloads, `seed ${seed}, lua53`).toEqual(entries[0].payloads);
    }
  });
});
