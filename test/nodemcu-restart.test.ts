/*
 * node.restart() on a live virtual NodeMCU (sim/nodemcu/vboard.lua, sim/live/live-lua.ts): a new
 * Lua on the files the old one left, nothing else kept (timers, gpio callbacks, globals), the
 * firmware's clock from 0 again while the host's timeline and its stimuli go on. The ESP8266 resets
 * once the callback that asked returns; the ESP32 at once. A plain init.lua plays the firmware.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LiveLuaBoard } from "../sim/live/live-lua.ts";

const INIT = `
local esp32 = tmr.now == nil
local function now() if esp32 then return math.floor(node.uptime()) end return tmr.now() end
local function get(name)
  if not esp32 then return file.getcontents(name) end
  local f = io.open(name, "r")
  if f == nil then return nil end
  local s = f:read("*a")
  f:close()
  return s
end
local function put(name, s)
  if not esp32 then return file.putcontents(name, s) end
  local f = io.open(name, "w")
  f:write(s)
  f:close()
end
local boot = tonumber(get("boots") or "0") + 1
put("boots", tostring(boot))
print("boot " .. boot .. " at " .. now() .. (seen == nil and " fresh" or " stale"))
seen = true
if not esp32 then
  print("level " .. gpio.read(5))
  gpio.mode(5, gpio.INT)
  gpio.trig(5, "both", function(level, when) print("edge " .. level .. " at " .. when .. " in boot " .. boot) end)
end
if boot == 1 then
  tmr.create():alarm(30, tmr.ALARM_AUTO, function() print("tick at " .. now()) end)
  tmr.create():alarm(100, tmr.ALARM_SINGLE, function()
    node.restart()
    print("after node.restart()")
  end)
end
`;

let board: LiveLuaBoard | undefined;
afterEach(async () => {
  await board?.stop();
  board = undefined;
});

function start(interpreter: string, mcu: "esp8266" | "esp32", stimuli: [number, string][] = []): Promise<LiveLuaBoard> {
  return LiveLuaBoard.start({
    interpreter, mcu, heapBytes: mcu === "esp32" ? 180000 : 44000, files: { "init.lua": INIT }, init: "init.lua", app: "init.lua",
    speed: Infinity, stepUs: 40000, stimuli: stimuli[Symbol.iterator](),
  });
}

const own = (lines: string[]) => lines.filter((l) => !l.startsWith("~code") && !l.startsWith("~heap"));

describe("node.restart() on a live virtual NodeMCU", () => {
  for (const interpreter of ["lua5.1", "lua5.3"]) {
    it(`ESP8266 under ${interpreter}: resets after the callback, on its files, tmr.now from 0, the stimuli after the reset on the new boot`, async () => {
      // Steps of 40 ms: the edge at 105 ms went with the step (to 120 ms) that the reset came in, so the host sends it again.
      board = await start(interpreter, "esp8266", [[50000, "P 50000 5 1"], [105000, "P 105000 5 0"], [300000, "P 300000 5 1"]]);
      await board.waitUntilUs(400000);
      expect(own(board.lines)).toEqual([
        "boot 1 at 0 fresh", "level 0",
        "tick at 30000", "edge 1 at 50000 in boot 1", "tick at 60000", "tick at 90000",
        "after node.restart()", "~restart 100000",
        "boot 2 at 0 fresh", "level 1",
        "edge 0 at 5000 in boot 2", "edge 1 at 200000 in boot 2",
      ]);
      expect(board.boots).toBe(2);
      expect(board.nowUs).toBeGreaterThanOrEqual(400000);
    });
  }

  it("ESP32 under lua5.3: esp_restart() does not return; node.uptime() from 0", async () => {
    board = await start("lua5.3", "esp32");
    await board.waitUntilUs(300000);
    expect(own(board.lines)).toEqual(["boot 1 at 0 fresh", "tick at 30000", "tick at 60000", "tick at 90000", "~restart 100000", "boot 2 at 0 fresh"]);
    expect(board.boots).toBe(2);
  });
});
