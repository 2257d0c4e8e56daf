/*
 * The virtual NodeMCU's D command (sim/nodemcu/vboard.lua): a block of trace rows in one line, as
 * a long replay feeds it, must drive the board exactly as the same conversions sent one C line
 * each: the same reads at the same times, a cell without a sample that row skipped, and timers
 * that fall between two rows, or at a row's instant, firing where they do with C.
 */
import { describe, expect, it } from "vitest";
import { runLuaBoard, type LuaInterpreter } from "../sim/nodemcu/lua-board.ts";
import { luaRows } from "../sim/runners/lua-rows.ts";
import { NO_SAMPLE, type ShelfChunk, type ShelfStream } from "../sim/trace/trace-stream.ts";

/* Two HX711s, each read in its DOUT's falling edge, and a 20 ms timer that reads the clock. */
const ESP8266_APP = `
for _, p in ipairs({ { 5, 1 }, { 0, 2 } }) do
  local sck, dout = p[1], p[2]
  gpio.mode(dout, gpio.INT)
  gpio.trig(dout, "down", function(level, when)
    hx711.init(sck, dout)
    print("read", dout, when, hx711.read(0))
  end)
end
tmr.create():alarm(20, tmr.ALARM_AUTO, function() print("timer", tmr.now()) end)
`;

const ESP32_APP = `
local bus = spi.master(spi.HSPI, { mosi = 13, miso = 12 })
local dev = bus:device({ mode = 0, freq = 1000000 })
gpio.config({ gpio = 12, dir = gpio.IN })
gpio.trig(12, gpio.INTR_DOWN, function()
  local d = dev:transfer(string.char(0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0x80))
  print("read", node.uptime(), d:byte(1, -1))
end)
tmr.create():alarm(20, tmr.ALARM_AUTO, function() print("timer", node.uptime()) end)
`;

async function run(interpreter: LuaInterpreter, mcu: "esp8266" | "esp32", wiring: string[], app: string, stimuli: string[]): Promise<{ lines: string[]; panic: string | undefined }> {
  const out = await runLuaBoard(interpreter, [`M ${mcu} 180000`, `F app.lua ${Buffer.from(app).toString("hex")}`, ...wiring, "B app.lua app.lua", ...stimuli, "E 100000"]);
  return { lines: out.lines, panic: out.panic };
}

const WIRED = ["H 0 1 5 0", "H 1 2 0 0"];
/* Rows at 10, 20 (cell 1 has no sample) and 40 ms, when the timer is due too (the conversions come first), and 45 ms. */
const AS_C = ["C 10000 0 100", "C 10000 1 -7", "C 20000 0 -8388608", "C 40000 0 8388607", "C 40000 1 3", "C 45000 0 5", "C 45000 1 6"];
const AS_D = ["D 2 10000 100 -7 20000 -8388608 _", "D 2 40000 8388607 3 45000 5 6"];

describe("the virtual NodeMCU's D rows", () => {
  for (const lua of ["lua5.1", "luajit"] as const) {
    it(`replay as the same C conversions on an ESP8266 (${lua})`, async () => {
      const c = await run(lua, "esp8266", WIRED, ESP8266_APP, AS_C);
      const d = await run(lua, "esp8266", WIRED, ESP8266_APP, AS_D);
      expect(c.panic).toBeUndefined();
      expect(d).toEqual(c);
      expect(d.lines).toEqual([
        "read\t1\t10000\t100", "read\t2\t10000\t-7", "read\t1\t20000\t-8388608", "timer\t20000",
        "read\t1\t40000\t8388607", "read\t2\t40000\t3", "timer\t40000", "read\t1\t45000\t5", "read\t2\t45000\t6",
        "timer\t60000", "timer\t80000", "timer\t100000",
      ]);
    });
  }

  it("replay as the same C conversions on an ESP32 over SPI (lua5.3)", async () => {
    const c = await run("lua5.3", "esp32", ["H 0 12 13 0"], ESP32_APP, ["C 10000 0 -2", "C 30000 0 1000"]);
    const d = await run("lua5.3", "esp32", ["H 0 12 13 0"], ESP32_APP, ["D 1 10000 -2 20000 _ 30000 1000"]);
    expect(c.panic).toBeUndefined();
    expect(d).toEqual(c);
    expect(d.lines.filter((l) => l.startsWith("read"))).toHaveLength(2);
  });

  for (const lua of ["lua5.1", "luajit"] as const) {
    it(`stop the board on a malformed row (${lua}, which reads the numbers its own way)`, async () => {
      for (const bad of ["D 2 10000 100", "D 2 10000 100 x", "D 2 10000 100 12x", "D 2 10000 100 -", "D x 10000 100", "D 2 1e4x 100 1"]) {
        const out = await run(lua, "esp8266", WIRED, ESP8266_APP, [bad]);
        expect(out.panic, bad).toBe(`vboard: bad command ${bad}`);
      }
    });
  }
});

/* A stream of the given chunks, each [t_us, counts per channel] rows. */
function streamOf(chunks: [number, number[]][][]): ShelfStream {
  const queue = chunks.map((rows): ShelfChunk => ({
    rows: rows.length,
    tUs: Float64Array.from(rows.map((r) => r[0])),
    counts: rows[0][1].map((_, c) => Int32Array.from(rows.map((r) => r[1][c]))),
  }));
  return { header: undefined as never, sampleCount: 0, endUs: 0, close() {}, next: () => queue.shift() };
}

describe("luaRows, the host's D lines", () => {
  it("write every row, 128 to a line, in blocks of whole lines: times and counts in decimal, _ for no sample", () => {
    const first: [number, number[]][] = [];
    for (let r = 0; r < 130; r++) first.push([2 ** 40 + r * 12500, [r === 3 ? NO_SAMPLE : -r * 65537, r === 129 ? -8388608 : 8388607 - r]]);
    const blocks = [...luaRows(streamOf([first, [[2 ** 41, [0, NO_SAMPLE]]]]))];
    const text = Buffer.concat(blocks).toString("latin1");
    const row = ([t, counts]: [number, number[]]) => ` ${t}` + counts.map((v) => (v === NO_SAMPLE ? " _" : ` ${v}`)).join("");
    expect(text).toBe(`D 2${first.slice(0, 128).map(row).join("")}\nD 2${first.slice(128).map(row).join("")}\nD 2 ${2 ** 41} 0 _\n`);
    expect(text).toContain(" 1099511627776 0 8388607 1099511640276 -65537 8388606");
    for (const b of blocks) expect(b[b.length - 1]).toBe(10);
  });

  it("hand a long replay to the pipe in blocks of about 64 KB, each ending a line", () => {
    const rows: [number, number[]][] = [];
    for (let r = 0; r < 20000; r++) rows.push([r * 12500, [r, -r, r * 7, 8388607]]);
    const blocks = [...luaRows(streamOf([rows]))];
    expect(blocks.length).toBeGreaterThan(5);
    for (const b of blocks) {
      expect(b.length).toBeLessThanOrEqual(65536);
      expect(b[b.length - 1]).toBe(10);
    }
    const lines = Buffer.concat(blocks).toString("latin1").trimEnd().split("\n");
    expect(lines).toHaveLength(Math.ceil(20000 / 128));
    expect(lines.at(-1)).toBe(`D 4${rows.slice(19968).map(([t, c]) => ` ${t} ${c.join(" ")}`).join("")}`);
  });
});
