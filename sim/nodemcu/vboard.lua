-- A virtual NodeMCU board: the modules the NodeMCU ports use, for the real lua5.1/lua5.3/luajit,
-- on a virtual µs clock. The first command picks the chip, and with it the modules: the ESP8266's
-- (hal/nodemcu: tmr with tmr.now, gpio.mode/trig(level, when, count), hx711, file) or the ESP32's
-- (hal/nodemcu-esp32: tmr, gpio.config/trig(pin, level) run as tasks, spi, node.uptime, io).
-- The host (sim/nodemcu/lua-board.ts) feeds it over stdin, one command a line, in time order:
--   M mcu heap_bytes      esp8266 (tmr.now wraps at 2^31 µs) or esp32; the heap the firmware leaves Lua
--   O option              spi-bitwise: clock every SPI transfer bit by bit (no whole-read shortcut);
--                         dump-on-restart: node.restart() prints the flash file system first (below)
--   S t_us                the board starts at t_us of the host's timeline, not 0 (after a restart)
--   F name hex            a file in the flash file system
--   H cell dout sck settle_us   an HX711 wired to those pins, settling that long after a reset
--   L pin level           an input's level before boot
--   R pin level           a resistor on the board pulls the pin to level where nothing drives it
--                         (the ESP32's pads can be let go; the ESP8266's never are)
--   B init app            boot: run init from the file system; app is the bundle it loads
--   C t_us cell counts    the HX711 on cell finished a conversion (at A/128)
--   D cells t_us counts.. rows of a trace in one line, each a time and then one count per cell
--                         ("_": none that row); each count is a C of its own, in order
--   P t_us pin level      an input pin changes level
--   W pin                 report each change of level the firmware writes to an output pin:
--                         "~out t_us pin level" (a gate's lock, lights and buzzer)
--   U t_us hex            a line typed on the UART (hex), run by the Lua interpreter in the global
--                         environment, as NodeMCU runs it; an error in it stops the board (~panic)
--   E t_us                run to t_us, report and exit
--   X path                load a host's extension, a Lua file run on this board (sim/flash/nodemcu-repl.lua):
--                         it may add commands, vb.ops[letter] = function(line), which are looked up
--                         before the board's own (so an extension may change what B does)
-- Live runs (sim/live/live-lua.ts) add time that goes on without an end, and the network:
--   T t_us                run the timers due up to t_us (inclusive), answer "~t t_us"
--   N t_us conn event     a network event on an mqtt connection: up | down | fail REASON |
--                         done SEQ | msg QOS TOPIC PAYLOAD (hex; mqtt-net.lua has the protocol and
--                         the "~mqtt" lines the board sends the other way)
-- T and N may not go back in time, and a malformed one stops the board (~panic): the host's
-- mistakes are not lost. After B, T and N the board flushes its output, so a host can wait on it.
-- Order at one instant, as on the Espruino board: the stimulus, the callbacks it causes (on the
-- ESP32, the tasks its interrupts post), then timers due at that instant (by arming order). The
-- board prints what the firmware prints; its own lines start with "~".
-- node.restart() is a hard reset: the ESP8266's (system_restart) once the callback that asked has
-- returned, the ESP32's (esp_restart) at once. The board prints "~restart t_us" and exits with
-- code 4, which ends a batch run. A live host asks for "O dump-on-restart" and gets the flash file
-- system first, "~fs NAME HEX" a file, then boots a new board (a new Lua process) on those files
-- with "S t_us": the Lua state, timers, gpio callbacks and mqtt clients are gone (the host drops
-- their sockets without DISCONNECT, as the chip's reset does, so the broker sends the wills), the
-- devices are wired again (HX711s afresh, inputs at the levels the host's stimuli left), and it
-- boots at the instant of the reset (the boot ROM's time is not modelled). One timeline: vb.now_us
-- and every command's time are the host's and go on across restarts, so a trace's stimuli keep
-- their meaning; what the firmware reads (tmr.now, tmr.time, node.uptime, the gpio and hx711
-- timestamps) is time since the boot, vb.now_us - vb.boot_us, as the chip's counters start from 0.

local here = (arg and arg[0] or ""):match("^(.*)[/\\]") or "."
-- Every key the board sets is here from the start: a key first set after the boot's baseline
-- (baseline_bytes) could double vb's hash part inside the heap figure.
local vb = { now_us = 0, boot_us = 0, mcu = "esp8266", fs = {}, panicked = false, ops = {}, heap_bytes = 0, preloaded = false, baseline_bytes = 0 }
_G.__vboard = vb

-- The host's own io: on the ESP32 the firmware's io is the emulated one on the flash file system.
local stdout = io.stdout
local lines = io.lines
function vb.write(s) stdout:write(s) end
function vb.flush() stdout:flush() end

local function panic(msg)
  vb.write("~panic " .. tostring(msg) .. "\n")
  vb.flush()
  os.exit(3)
end

vb.panic = panic

-- NodeMCU panics and reboots on an error in a callback; the virtual board reports it and stops.
-- A restart the callback asked for (ESP8266) happens once the outermost callback has returned.
local depth = 0
function vb.call(fn, ...)
  depth = depth + 1
  local ok, err = pcall(fn, ...)
  depth = depth - 1
  if not ok then panic(err) end
  if vb.restart_pending and depth == 0 then vb.restart() end
end

-- The output pins the host asked to hear about (W), with the level last reported (-1: none yet).
-- The host's table, not the firmware's: made before the boot's baseline, so it costs no heap.
local watched_outputs = {}
function vb.output(pin, level)
  local last = watched_outputs[pin]
  if last ~= nil and last ~= level then
    watched_outputs[pin] = level
    vb.write(string.format("~out %d %d %d\n", vb.now_us, pin, level))
  end
end

-- Time since the last boot, which the chip's own counters give.
function vb.uptime_us()
  return vb.now_us - vb.boot_us
end

function vb.raw_us()
  local up_us = vb.now_us - vb.boot_us
  if vb.mcu == "esp8266" then return up_us % 2147483648 end
  return up_us
end

-- Tasks posted from interrupts (ESP32), run in order once the current callback has returned.
local queue, head, tail = {}, 1, 0
function vb.post(fn, a, b)
  tail = tail + 1
  queue[tail] = { fn, a, b }
end

function vb.run_tasks()
  while head <= tail do
    local t = queue[head]
    queue[head] = nil
    head = head + 1
    t[1](t[2], t[3])
  end
end

local load_module = dofile
local loaded = false
local function load_modules()
  if loaded then return end
  loaded = true
  local set = vb.mcu == "esp32" and { "tmr", "gpio-esp32", "hx711-chip", "spi", "file", "file-esp32", "node", "crypto", "mqtt-net", "mqtt-esp32", "wifi-esp32" }
    or { "tmr", "gpio", "hx711-chip", "hx711", "file", "node", "crypto", "mqtt-net", "mqtt", "wifi" }
  for _, name in ipairs(set) do load_module(here .. "/" .. name .. ".lua") end
end

local function unhex(h)
  return (h:gsub("%x%x", function(b) return string.char(tonumber(b, 16)) end))
end

local baseline_bytes = 0

-- A stimulus at t: timers due before it fire first, then the clock stands at t.
local function advance(t)
  t = tonumber(t)
  vb.run_timers(t, false)
  vb.now_us = t
end

-- D: a long replay's conversions, many to a line (rows.lua).
local rows = load_module(here .. "/rows.lua")

-- A live command's time: a number, not before the board's clock.
local function live_time(line, t)
  t = tonumber(t)
  if t == nil then panic("vboard: bad command " .. line:sub(1, 80)) end
  if t < vb.now_us then panic("vboard: " .. line:sub(1, 40) .. " goes back in time (the board is at " .. vb.now_us .. " us)") end
  return t
end

for line in lines() do
  local op = line:sub(1, 1)
  if op ~= "M" and op ~= "O" then load_modules() end
  if vb.ops[op] then
    vb.ops[op](line)
  elseif op == "X" then
    load_module(line:match("^X (.+)$") or panic("vboard: bad command " .. line:sub(1, 40)))
  elseif op == "D" then
    rows(line)
  elseif op == "C" then
    local t, cell, counts = line:match("^C (%d+) (%d+) (%-?%d+)$")
    advance(t)
    vb.hx711_convert(tonumber(cell), tonumber(counts))
    vb.run_tasks()
  elseif op == "P" then
    local t, pin, level = line:match("^P (%d+) (%d+) (%d)$")
    advance(t)
    vb.gpio_drive(tonumber(pin), tonumber(level))
    vb.run_tasks()
  elseif op == "U" then
    local t, h = line:match("^U (%d+) (%x*)$")
    advance(t)
    local chunk, err = (loadstring or load)(unhex(h), "=stdin")
    if not chunk then panic(err) end
    vb.call(chunk)
    vb.run_tasks()
  elseif op == "E" then
    local t = tonumber(line:match("^E (%d+)$"))
    vb.run_timers(t, true)
    vb.now_us = math.max(vb.now_us, t)
    vb.write("~end\n")
    break
  elseif op == "T" then
    local t = live_time(line, line:match("^T (%d+)$"))
    vb.run_timers(t, true)
    vb.now_us = t
    vb.write("~t " .. string.format("%d", t) .. "\n")
    vb.flush()
  elseif op == "N" then
    local t, conn, ev = line:match("^N (%d+) (%d+) (.+)$")
    advance(live_time(line, t))
    vb.mqtt_event(tonumber(conn), ev)
    vb.run_tasks()
    vb.flush()
  elseif op == "F" then
    local name, hex = line:match("^F (%S+) (%x*)$")
    vb.fs[name] = unhex(hex)
  elseif op == "H" then
    local cell, dout, sck, settle = line:match("^H (%d+) (%d+) (%d+) (%d+)$")
    vb.hx711_wire(tonumber(cell), tonumber(dout), tonumber(sck), tonumber(settle))
  elseif op == "W" then
    watched_outputs[tonumber(line:match("^W (%d+)$") or panic("vboard: bad command " .. line:sub(1, 40)))] = -1
  elseif op == "L" then
    local pin, level = line:match("^L (%d+) (%d)$")
    vb.gpio_set(tonumber(pin), tonumber(level))
  elseif op == "R" then
    local pin, level = line:match("^R (%d+) (%d)$")
    if vb.gpio_resistor ~= nil then vb.gpio_resistor(tonumber(pin), tonumber(level)) end
  elseif op == "M" then
    local mcu, heap = line:match("^M (%S+) (%d+)$")
    vb.mcu = mcu
    vb.heap_bytes = tonumber(heap)
  elseif op == "O" then
    if line == "O spi-bitwise" then vb.spi_bitwise = true
    elseif line == "O dump-on-restart" then vb.dump_on_restart = true
    else panic("vboard: unknown option " .. line:sub(3, 40)) end
  elseif op == "S" then
    local t = tonumber(line:match("^S (%d+)$") or panic("vboard: bad command " .. line:sub(1, 40)))
    vb.now_us, vb.boot_us = t, t
  elseif op == "B" then
    -- Boot. ~code is what the app's compiled functions take when they are loaded into RAM;
    -- ~heap is what the app holds once booted with its code in flash, as NodeMCU's LFS keeps it
    -- (prototypes and constant strings in flash; tables, closures and new strings in RAM).
    local init, app = line:match("^B (%S+) (%S+)$")
    collectgarbage("collect")
    local before_code = collectgarbage("count") * 1024
    local code = (loadstring or load)(vb.fs[app] or error("no " .. app), "@" .. app)
    collectgarbage("collect")
    vb.write(string.format("~code %d\n", math.floor(collectgarbage("count") * 1024 - before_code)))
    vb.preloaded = { [app] = code }
    collectgarbage("collect")
    baseline_bytes = collectgarbage("count") * 1024
    vb.baseline_bytes = baseline_bytes
    local chunk, err = (loadstring or load)(vb.fs[init] or error("no " .. init), "@" .. init)
    if not chunk then panic(err) end
    -- The boot runs on a coroutine of its own, whose stack goes once it returns: on the chip the
    -- stack the boot's calls grew is given back once Lua is idle (a collection halves a stack
    -- used under a quarter, and between callbacks the event loop runs no Lua), while this board's
    -- own loop, a Lua chunk on the main thread, would keep it in use and in the figure.
    local boot = coroutine.create(function() vb.call(chunk) vb.run_tasks() end)
    local booted, boot_err = coroutine.resume(boot)
    if not booted then panic(boot_err) end
    -- init.lua's chunk goes too: on the chip nothing holds it once it has run (only closures it
    -- left, such as a boot loader's timer, keep their part of it).
    boot, chunk = nil, nil
    collectgarbage("collect")
    vb.write(string.format("~heap %d\n", math.floor(collectgarbage("count") * 1024 - baseline_bytes)))
    vb.flush()
  elseif line ~= "" then
    panic("vboard: bad command " .. line:sub(1, 40))
  end
end
vb.flush()
