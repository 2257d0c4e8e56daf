import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Hx711Chip } from "../../sim/devices/hx711-chip.ts";
import type { ConversionReady, PinLevel, Stimulus } from "../../sim/devices/stimuli.ts";
import { EspruinoBoard } from "../../sim/espruino/espruino-board.ts";
import { runLuaBoard, type LuaInterpreter } from "../../sim/nodemcu/lua-board.ts";
import { feedDevice } from "../../sim/runners/feed.ts";
import { espruinoApp } from "../../tools/build/espruino-bundle.ts";
import { luaBundle } from "../../tools/build/lua-bundle.ts";
import { PROBE_BOARD } from "./probe-board.ts";

/*
 * The port contract, checked the way Zephyr checks a driver against its emulator: the real ports
 * run the probe app on each virtual board, fed the same HX711 conversions and pin edges.
 */

const conv = (tMs: number, cell: number, counts: number): ConversionReady => ({ kind: "conversion", tUs: tMs * 1000, cell, counts });
const pin = (tMs: number, p: number, level: number): PinLevel => ({ kind: "pin", tUs: tMs * 1000, pin: p, level });

const STIMULI: Stimulus[] = [
  // The four conversions a chip makes while it settles after power-up: the ports drop them.
  conv(1, 0, 11), conv(1.5, 1, 21), conv(2, 0, 12), conv(2.5, 1, 22), conv(3, 0, 13), conv(3.5, 1, 23), conv(4, 0, 14), conv(4.5, 1, 24),
  conv(10, 0, 100), conv(12, 1, 2000), conv(22.5, 0, -1), conv(24.5, 1, 2000), conv(35, 0, 8388607),
  conv(37, 1, 4000), conv(47.5, 0, -8388608), conv(49.5, 1, -4000), conv(60, 0, 0), conv(60, 1, 64),
  conv(72.5, 0, 123456), conv(74.5, 1, 64), conv(85, 0, 7),
  pin(100, 6, 1), pin(105, 6, 0), pin(200, 6, 1), pin(300, 6, 0),
  // Cell 0 is powered down from 150 to 200 ms and settles until 250 ms: these are lost.
  ...[160, 180, 210, 240].map((t) => conv(t, 0, 5000 + t)),
  // Then four more the port drops while the chip settles, and a batch of three.
  ...[255, 265, 275, 285, 295, 305, 315].map((t) => conv(t, 0, 7000 + t)),
].sort((a, b) => a.tUs - b.tUs);
const END_MS = 400;
const OUTPUT_PINS = [PROBE_BOARD.gateLanes[0].lock, PROBE_BOARD.gateLanes[0].ledGreen, PROBE_BOARD.gateLanes[0].ledRed, PROBE_BOARD.buzzer];

async function onEspruino(): Promise<string[]> {
  const lines: string[] = [];
  const code = await espruinoApp(resolve("test/ports/probe-espruino.ts"));
  const board = new EspruinoBoard({ code, filename: "probe.js", mode: "vm", storage: new Map(), onLine: (l) => lines.push(l) });
  const chips = PROBE_BOARD.cells.map((c) => {
    const chip = new Hx711Chip(c.dout, c.sck, (p, level) => board.pins.drive(p, level), () => board.nowUs, 50000);
    board.pins.listen(c.sck, (level) => chip.clock(level));
    return chip;
  });
  // The gate's outputs as the Lua board reports them (vboard.lua's W): each change, with its time.
  const shown = new Map<number, number>();
  for (const p of OUTPUT_PINS) {
    board.pins.listen(p, (level) => {
      if (shown.get(p) !== level) lines.push(`~out ${board.nowUs} ${p} ${level}`);
      shown.set(p, level);
    });
  }
  board.addDevice(feedDevice(STIMULI[Symbol.iterator](), (s) => (s.kind === "conversion" ? chips[s.cell].convert(s.counts) : board.pins.drive(s.pin, s.level))));
  board.boot();
  board.runUntil(END_MS * 1000);
  expect(board.errors).toEqual([]);
  return lines;
}

interface NodeMcuOptions {
  /** The ESP32 port and its emulation (otherwise the ESP8266's). */
  esp32?: boolean;
  /** ESP32: leave PD_SCK without the board's pull-down. */
  noPullDown?: boolean;
  /** ESP32: clock every SPI transfer bit by bit. */
  bitwise?: boolean;
}

async function onNodeMcu(interpreter: LuaInterpreter, entry: string, cells: number, opts: NodeMcuOptions = {}): Promise<string[]> {
  const lua = luaBundle(resolve(entry), interpreter === "lua5.1" ? "5.1" : "5.3", "probe.lua", opts.esp32 ? "nodemcu-esp32" : "nodemcu");
  const cmds = [opts.esp32 ? "M esp32 180000" : "M esp8266 44000", `F probe.lua ${Buffer.from(lua).toString("hex")}`];
  if (opts.bitwise) cmds.push("O spi-bitwise");
  PROBE_BOARD.cells.slice(0, cells).forEach((c, i) => cmds.push(`H ${i} ${c.dout} ${c.sck} 50000`));
  if (opts.esp32 && !opts.noPullDown) PROBE_BOARD.cells.slice(0, cells).forEach((c) => cmds.push(`R ${c.sck} 0`));
  cmds.push("L 6 0", ...OUTPUT_PINS.map((p) => `W ${p}`), "B probe.lua probe.lua");
  for (const s of STIMULI) {
    if (s.kind === "conversion" && s.cell < cells) cmds.push(`C ${s.tUs} ${s.cell} ${s.counts}`);
    if (s.kind === "pin") cmds.push(`P ${s.tUs} ${s.pin} ${s.level}`);
  }
  cmds.push(`E ${END_MS * 1000}`);
  const out = await runLuaBoard(interpreter, cmds);
  expect(out.panic).toBeUndefined();
  expect(out.exitCode).toBe(0);
  return out.lines;
}

describe("the HAL ports on their virtual boards", () => {
  let espruino: string[];

  beforeAll(async () => {
    espruino = await onEspruino();
  });

  it("reads every HX711 conversion on Espruino, two's complement and full scale included", () => {
    expect(espruino).toContain("I cell 0 n=3 t=35000us 100,-1,8388607");
    expect(espruino).toContain("I cell 0 n=3 t=72500us -8388608,0,123456");
  });

  it("reads at the gain the previous read selected: cell 1 asks for A/64", () => {
    expect(espruino).toContain("I cell 1 n=2 t=24500us 1000,1000");
    expect(espruino).toContain("I cell 1 n=2 t=49500us 2000,-2000");
  });

  it("converts nothing while powered down or settling, and drops the first four conversions after waking", () => {
    expect(espruino.filter((l) => l.includes("cell 0") && /\b5\d\d\d\b|,5\d\d\d/.test(l))).toEqual([]);
    expect(espruino).toContain("I woken cell 0 n=3 t=315000us first=7295");
  });

  it("runs timers in order, cancels them, and keeps the store", () => {
    const ordered = espruino.filter((l) => /tick|after250|never/.test(l));
    expect(ordered).toEqual(["I tick 1 t=100000us", "I tick 2 t=200000us", "I after250 t=250000us", "I tick 3 t=300000us"]);
    expect(espruino).toEqual(expect.arrayContaining(["I store missing undefined", "I store write ok", "I store read same", "I store erased undefined"]));
  });

  it("drives outputs: the lock, the lane's lights and the buzzer change level when written, and only then", () => {
    const [lock, green, red, buzzer] = OUTPUT_PINS;
    expect(espruino.filter((l) => l.startsWith("~out"))).toEqual([
      `~out 120000 ${lock} 1`, `~out 120000 ${green} 0`, `~out 120000 ${red} 1`, `~out 120000 ${buzzer} 0`,
      `~out 130000 ${lock} 0`, `~out 130000 ${green} 1`, `~out 130000 ${red} 0`, `~out 130000 ${buzzer} 1`,
      `~out 140000 ${buzzer} 0`,
    ]);
  });

  it("ignores a 5 ms glitch and reports held edges with the edge's time, once debounced", () => {
    expect(espruino.filter((l) => l.startsWith("I outer"))).toEqual([
      "I outer initially 0",
      "I outer 1 edge t=200000us seen t=220000us",
      "I outer 0 edge t=300000us seen t=320000us",
    ]);
  });

  for (const interpreter of ["lua5.1", "lua5.3"] as const) {
    it(`prints the very same lines on NodeMCU under ${interpreter} (several cells: gpio.trig + hx711.read)`, async () => {
      expect(await onNodeMcu(interpreter, "test/ports/probe-nodemcu.ts", 2)).toEqual(espruino);
    });

    it(`prints the same lines for one cell on NodeMCU under ${interpreter} (hx711.start batches)`, async () => {
      const expected = espruino.filter((l) => !l.startsWith("I cell 1"));
      expect(await onNodeMcu(interpreter, "test/ports/probe-nodemcu-one-cell.ts", 1)).toEqual(expected);
    });
  }

  it("prints the very same lines on NodeMCU-ESP32 under lua5.3 (several cells: gpio.trig tasks + spi, the bus moving between cells)", async () => {
    expect(await onNodeMcu("lua5.3", "test/ports/probe-nodemcu-esp32.ts", 2, { esp32: true })).toEqual(espruino);
  });

  it("prints the same lines for one cell on NodeMCU-ESP32 under lua5.3 (the bus set up once)", async () => {
    const expected = espruino.filter((l) => !l.startsWith("I cell 1"));
    expect(await onNodeMcu("lua5.3", "test/ports/probe-nodemcu-esp32-one-cell.ts", 1, { esp32: true })).toEqual(expected);
  });

  it("reads the same on NodeMCU-ESP32 when every SPI transfer is clocked bit by bit (the whole-read shortcut changes nothing)", async () => {
    expect(await onNodeMcu("lua5.3", "test/ports/probe-nodemcu-esp32.ts", 2, { esp32: true, bitwise: true })).toEqual(espruino);
  });

  it("needs PD_SCK pulled down on a several-cell ESP32: freeing the bus lets the pin's pull-up make a 26th pulse, and B/32 is read", async () => {
    const lines = await onNodeMcu("lua5.3", "test/ports/probe-nodemcu-esp32.ts", 2, { esp32: true, noPullDown: true });
    // 100, -1 and full scale, read a quarter as large (B/32) or shifted: the gain went wrong.
    expect(lines).not.toContain("I cell 0 n=3 t=35000us 100,-1,8388607");
    expect(lines).toContain("I cell 0 n=3 t=35000us 25,0,2097152");
  });
});
