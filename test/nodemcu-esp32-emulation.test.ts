import { describe, expect, it } from "vitest";
import { runLuaBoard } from "../sim/nodemcu/lua-board.ts";

/*
 * The virtual ESP32 NodeMCU board (sim/nodemcu, "M esp32") against what dev-esp32's modules do
 * (docs/research/nodemcu.md; components/modules/{gpio,spi_master,node,tmr,file}.c), with small
 * Lua apps rather than the firmware.
 */

async function onEsp32(app: string, stimuli: string[] = [], endUs = 1_000_000, wiring: string[] = []): Promise<string[]> {
  const out = await runLuaBoard("lua5.3", ["M esp32 180000", `F app.lua ${Buffer.from(app).toString("hex")}`, ...wiring, "B app.lua app.lua", ...stimuli, `E ${endUs}`]);
  expect(out.panic, out.stderr).toBeUndefined();
  return out.lines;
}

describe("the virtual NodeMCU-ESP32 board", () => {
  it("has the ESP32's modules and not the ESP8266's", async () => {
    const lines = await onEsp32(`
      print(type(hx711), type(gpio.mode), type(gpio.HIGH), type(gpio.INT), type(tmr.now), type(tmr.time), type(file.open), type(file.getcontents))
      print(type(gpio.config), type(spi.master), type(node.uptime), type(io.open), gpio.IN, gpio.OUT, gpio.INTR_UP, gpio.INTR_DOWN, gpio.INTR_UP_DOWN, tmr.ALARM_AUTO)
    `);
    expect(lines).toEqual(["nil\tnil\tnil\tnil\tnil\tnil\tnil\tnil", "function\tfunction\tfunction\tfunction\t1\t2\t1\t2\t3\t1"]);
  });

  it("gives node.uptime() as float µs and the bits above 53", async () => {
    const lines = await onEsp32(`tmr.create():alarm(500, tmr.ALARM_SINGLE, function() local lo, hi = node.uptime(); print(math.type(lo), lo, hi) end)`);
    expect(lines).toEqual(["float\t500000.0\t0"]);
  });

  it("runs tmr on FreeRTOS's 10 ms ticks: the period rounds down, a timer counts from the tick it starts in, and no tick at all aborts", async () => {
    const lines = await onEsp32(`
      gpio.config({ gpio = 5, dir = gpio.IN })
      gpio.trig(5, gpio.INTR_UP, function()
        local t0 = node.uptime()
        tmr.create():alarm(25, tmr.ALARM_SINGLE, function() print("25 ms asked, after", (node.uptime() - t0) / 1000) end)
      end)
      local n = 0
      tmr.create():alarm(30, tmr.ALARM_AUTO, function(t) n = n + 1; print("auto", node.uptime() / 1000); if n == 3 then t:unregister() end end)
    `, ["P 3000 5 1"]);
    expect(lines).toEqual(["25 ms asked, after\t17.0", "auto\t30.0", "auto\t60.0", "auto\t90.0"]);
    const out = await runLuaBoard("lua5.3", ["M esp32 180000", `F app.lua ${Buffer.from("tmr.create():alarm(5, tmr.ALARM_SINGLE, function() end)").toString("hex")}`, "B app.lua app.lua", "E 100000"]);
    expect(out.panic).toMatch(/0 ticks/);
  });

  it("calls trig callbacks with (pin, level) from a task, and drops the edges that come before the callback has returned", async () => {
    const lines = await onEsp32(`
      gpio.config({ gpio = 4, dir = gpio.IN_OUT })
      gpio.trig(4, gpio.INTR_UP_DOWN, function(pin, level)
        print("cb", pin, level)
        -- These edges come while the pin's interrupt is off: they are lost, not queued.
        if level == 1 then gpio.write(4, 0); gpio.write(4, 1); gpio.write(4, 0) end
      end)
      tmr.create():alarm(10, tmr.ALARM_SINGLE, function() gpio.write(4, 1); print("wrote", gpio.read(4)) end)
      tmr.create():alarm(20, tmr.ALARM_SINGLE, function() gpio.write(4, 1) end)
      gpio.config({ gpio = 5, dir = gpio.IN })
      gpio.trig(5, gpio.INTR_DOWN, function(pin, level) print("down", pin, level) end)
    `, ["P 30000 5 1", "P 31000 5 0", "P 32000 5 1"]);
    expect(lines).toEqual(["wrote\t1", "cb\t4\t1", "cb\t4\t1", "down\t5\t0"]);
  });

  it("turns a pin's interrupt off in gpio.config, and back on in gpio.trig", async () => {
    const lines = await onEsp32(`
      gpio.config({ gpio = 5, dir = gpio.IN })
      gpio.trig(5, gpio.INTR_UP_DOWN, function(pin, level) print("edge", level) end)
      tmr.create():alarm(15, tmr.ALARM_SINGLE, function() gpio.config({ gpio = 5, dir = gpio.IN }) end)
      tmr.create():alarm(25, tmr.ALARM_SINGLE, function() gpio.trig(5, gpio.INTR_UP_DOWN) end)
    `, ["P 10000 5 1", "P 20000 5 0", "P 30000 5 1"]);
    expect(lines).toEqual(["edge\t1", "edge\t1"]);
  });

  it("refuses pins the ESP32 does not have, and outputs on its input-only pins", async () => {
    const lines = await onEsp32(`
      print(pcall(gpio.read, 20))
      print(pcall(gpio.write, 35, 1))
      print(pcall(gpio.config, { gpio = 36, dir = gpio.OUT }))
      print(pcall(gpio.trig, 40, gpio.INTR_UP))
    `);
    expect(lines.map((l) => l.replace(/\t[^\t]*: /, "\t"))).toEqual(["false\tinvalid argument", "false\tinvalid argument", "false\tinvalid argument", "false\tinvalid gpio"]);
  });

  it("has one SPI host to give (HSPI): VSPI is refused, as the module's host check has it, and a host already set up too", async () => {
    const lines = await onEsp32(`
      print(pcall(spi.master, spi.VSPI, { mosi = 13, miso = 12 }))
      local bus = spi.master(spi.HSPI, { mosi = 13, miso = 12 })
      print(pcall(spi.master, spi.HSPI, { mosi = 15, miso = 14 }))
      local ok = pcall(bus.device, bus, { freq = 1000000 })
      print("device without mode", ok)
    `);
    expect(lines[0]).toMatch(/^false\t.*invalid host/);
    expect(lines[1]).toMatch(/^false\t.*bus init failed/);
    expect(lines[2]).toBe("device without mode\tfalse");
  });

  it("clocks an HX711 over SPI with MOSI as PD_SCK: every data bit twice, gain pulses for the next conversion, DOUT high after", async () => {
    const lines = await onEsp32(`
      local bus = spi.master(spi.HSPI, { mosi = 13, miso = 12 })
      local dev = bus:device({ mode = 0, freq = 1000000 })
      gpio.config({ gpio = 12, dir = gpio.IN })
      gpio.trig(12, gpio.INTR_DOWN, function(pin, level)
        local d = dev:transfer(string.char(0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xA8))
        print(("%02X"):rep(#d, " "):format(d:byte(1, -1)), gpio.read(12))
      end)
    `, ["C 10000 0 -2", "C 20000 0 1000"], 100_000, ["H 0 12 13 50000"]);
    // -2 = 0xFFFFFE at A/128; then 27 pulses chose A/64, so 1000 reads as 500 = 0x0001F4.
    expect(lines).toEqual(["FF FF FF FF FF FC FF\t1", "00 00 00 03 FF 30 FF\t1"]);
  });

  it("lets the bus's pins go on close as ESP-IDF does: no input, pull-up on, so an undriven PD_SCK goes high and the chip sees a pulse", async () => {
    const app = `
      local bus = spi.master(spi.HSPI, { mosi = 13, miso = 12 })
      local dev = bus:device({ mode = 0, freq = 1000000 })
      local first = true
      gpio.config({ gpio = 12, dir = gpio.IN })
      gpio.trig(12, gpio.INTR_DOWN, function()
        local d = dev:transfer(string.char(0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0x80))
        print(d:byte(6))
        if first then
          first = false
          bus:close()
          print("with a device", gpio.read(13))
          dev:remove(); bus:close()
          print("closed", gpio.read(12), gpio.read(13))
          gpio.config({ gpio = 13, dir = gpio.OUT }, { gpio = 12, dir = gpio.IN })
          bus = spi.master(spi.HSPI, { mosi = 13, miso = 12 })
          dev = bus:device({ mode = 0, freq = 1000000 })
          gpio.trig(12, gpio.INTR_DOWN)
        end
      end)
    `;
    // 100 at A/128 is 0x64: its last byte spreads to 0x30. After the pull-up's pulse (a 26th), 100 reads at B/32: 25 = 0x19, 0xC3.
    expect(await onEsp32(app, ["C 10000 0 100", "C 20000 0 100"], 100_000, ["H 0 12 13 50000"])).toEqual(["48", "with a device\t0", "closed\t0\t0", "195"]);
    // With the board's pull-down on PD_SCK the wire stays low, and the gain stays A/128.
    expect(await onEsp32(app, ["C 10000 0 100", "C 20000 0 100"], 100_000, ["H 0 12 13 50000", "R 13 0"])).toEqual(["48", "with a device\t0", "closed\t0\t0", "48"]);
  });

  it("keeps file contents in io on the flash file system; the file module only lists, removes and renames", async () => {
    const lines = await onEsp32(`
      print(io.open("nope", "r"))
      local f = io.open("cal.a", "w"); print(f:write("v1\\n", "line2") == f); print(f:close())
      f = io.open("cal.a", "r"); print(f:read("l"), f:read("a")); f:close()
      f = io.open("cal.a", "a"); f:write("+"); f:close()
      f = io.open("cal.a"); print((f:read("a"):gsub("\\n", "|"))); f:close()
      print(file.exists("cal.a"), file.rename("cal.a", "cal.b"), file.exists("cal.a"))
      file.remove("cal.b"); print(file.exists("cal.b"), io.open("cal.b"))
    `);
    expect(lines).toEqual([
      "nil\tnope: No such file or directory\t2", "true", "true", "v1\tline2", "v1|line2+", "true\ttrue\tfalse", "false\tnil\tcal.b: No such file or directory\t2",
    ]);
  });
});
