-- gpio (ESP32, dev-esp32's components/modules/gpio.c): GPIO numbers, gpio.config{...}, numeric
-- gpio.INTR_* trigger types and callbacks fn(pin, level). The pin interrupt works as the C module
-- and ESP-IDF do: the ISR disables the pin's interrupt and posts a task carrying the level it
-- read; the task calls back, then re-enables the interrupt, which clears its status, so edges in
-- between are dropped, not queued. gpio.config, like IDF's gpio_config, turns the interrupt off
-- (gpio.trig turns it back on) and takes the pad back from a peripheral (the SPI's MOSI).
local vb = __vboard
local pins = {}

gpio = { IN = 1, OUT = 2, IN_OUT = 3, FLOATING = 0, PULL_UP = 1, PULL_DOWN = 2, PULL_UP_DOWN = 3,
  INTR_NONE = 0, INTR_UP = 1, INTR_DOWN = 2, INTR_UP_DOWN = 3, INTR_LOW = 4, INTR_HIGH = 5,
  DRIVE_0 = 0, DRIVE_1 = 1, DRIVE_2 = 2, DRIVE_3 = 3, DRIVE_DEFAULT = 2 }

-- The classic ESP32 has GPIO 0-39 but no 20, 24 or 28-31; 34-39 are inputs only. Pins from 100
-- up are the replay's extra virtual cells and lanes, which no real board has.
local function valid(pin)
  if pin >= 100 then return true end
  return pin >= 0 and pin <= 39 and pin ~= 20 and pin ~= 24 and (pin < 28 or pin > 31)
end

-- A pin's state, made on first use. Callers write `pins[pin] or state(pin)`: a replay's
-- conversion touches pins a dozen times, and Lua 5.3 pays for each call.
local function state(pin)
  local s = pins[pin]
  if s == nil then
    -- After reset a pad is a GPIO input with no pull and no interrupt.
    s = { dir = 1, input = true, output = false, pull = 0, out = 0, level = 0, intr = 0, ena = false }
    pins[pin] = s
  end
  return s
end

local INPUT = { [0] = false, true, false, true }
local OUTPUT = { [0] = false, false, true, true }

local function set_dir(s, dir)
  s.dir = dir
  s.input = INPUT[dir]
  s.output = OUTPUT[dir]
end

-- The wire's level: a peripheral or the output register drives it, else a device outside, else a
-- resistor on the board, else the pad's own pull (about 45 kOhm, weaker than a board's resistor).
local function resolve(s)
  local v = s.spi
  if v ~= nil then return v end
  if s.output then return s.out end
  v = s.ext
  if v ~= nil then return v end
  v = s.resistor
  if v ~= nil then return v end
  local pull = s.pull
  if pull == 1 or pull == 3 then return 1 end
  if pull == 2 then return 0 end
  return s.level
end

local function matches(kind, level)
  return kind == 3 or ((kind == 1 or kind == 5) and level == 1) or ((kind == 2 or kind == 4) and level == 0)
end

local function callback_task(pin, level)
  local s = pins[pin]
  if s.cb == nil then return end
  vb.call(s.cb, pin, level)
  -- gpio_intr_enable clears the status first; a level interrupt still true fires again at once.
  s.ena = true
  if (s.intr == 4 or s.intr == 5) and s.input and matches(s.intr, s.level) then
    s.ena = false
    vb.post(callback_task, pin, s.level)
  end
end

local function update(pin, s)
  local new = resolve(s)
  if new == s.level then return end
  s.level = new
  vb.hx711_sck(pin, new)
  if s.ena and s.intr ~= 0 and s.input and matches(s.intr, new) then
    s.ena = false
    vb.post(callback_task, pin, new)
  end
end

local checked = {}
local function check_pin(pin, output)
  if checked[pin] == true and not output then return end
  if type(pin) ~= "number" or not valid(pin) or (output and pin >= 34 and pin <= 39) then error("invalid argument", 3) end
  checked[pin] = true
end

local function configure(pin, dir, pull)
  check_pin(pin, dir == 2 or dir == 3)
  local s = pins[pin] or state(pin)
  set_dir(s, dir)
  s.pull = pull
  s.spi = nil
  s.intr = 0
  s.ena = false
  update(pin, s)
end

local function config_one(cfg, i)
  if type(cfg) ~= "table" then error("bad argument #" .. i .. " to 'config' (table expected)", 3) end
  local dir = cfg.dir
  if type(dir) ~= "number" then error("bad argument #" .. i .. " to 'config' (number expected, got " .. type(dir) .. ")", 3) end
  local list = cfg.gpio
  if type(list) == "number" then
    configure(list, dir, cfg.pull or 0)
  elseif type(list) == "table" then
    for _, pin in pairs(list) do configure(pin, dir, cfg.pull or 0) end
  else
    error("missing/bad 'gpio' field", 3)
  end
end

function gpio.config(first, second, ...)
  config_one(first, 1)
  if second == nil then return end
  config_one(second, 2)
  for i = 1, select("#", ...) do config_one((select(i, ...)), i + 2) end
end

function gpio.read(pin)
  check_pin(pin, false)
  local s = pins[pin] or state(pin)
  if not s.input then return 0 end
  return s.level
end

function gpio.write(pin, level)
  check_pin(pin, true)
  local s = pins[pin] or state(pin)
  s.out = level ~= 0 and 1 or 0
  update(pin, s)
  vb.output(pin, s.out)
end

function gpio.trig(pin, kind, cb)
  if type(pin) ~= "number" or pin < 0 or (pin >= 40 and pin < 100) then error("invalid gpio", 2) end
  kind = kind or 0
  if type(kind) ~= "number" then error("bad argument #2 to 'trig' (number expected, got " .. type(kind) .. ")", 2) end
  if cb ~= nil and type(cb) ~= "function" then error("bad argument #3 to 'trig' (function expected)", 2) end
  local s = pins[pin] or state(pin)
  -- A type without a function keeps the old one, as on the ESP8266.
  if kind == 0 then s.cb = nil elseif cb ~= nil then s.cb = cb end
  s.intr = kind
  s.ena = kind ~= 0
  if s.ena and (kind == 4 or kind == 5) and s.input and matches(kind, s.level) then
    s.ena = false
    vb.post(callback_task, pin, s.level)
  end
end

-- A device's level before boot: no interrupt.
function vb.gpio_set(pin, level)
  local s = pins[pin] or state(pin)
  s.ext = level
  s.level = resolve(s)
end

-- A resistor on the board pulls the wire to level when nothing drives it.
function vb.gpio_resistor(pin, level)
  local s = pins[pin] or state(pin)
  s.resistor = level
  s.level = resolve(s)
end

-- A device changes the level it drives on a pin.
function vb.gpio_drive(pin, level)
  local s = pins[pin] or state(pin)
  s.ext = level
  update(pin, s)
end

-- The SPI peripheral through the GPIO matrix: it drives MOSI (and SCLK), and takes MISO as an input.
function vb.gpio_spi_out(pin, level)
  local s = pins[pin] or state(pin)
  s.spi = level
  set_dir(s, 2)
  update(pin, s)
end

function vb.gpio_spi_in(pin)
  local s = pins[pin] or state(pin)
  set_dir(s, 1)
  update(pin, s)
end

-- spi_bus_free lets the bus's pins go with gpio_reset_pin: no input or output, pull-up on,
-- interrupt off. A wire nothing else drives is then pulled high.
function vb.gpio_reset(pin)
  local s = pins[pin] or state(pin)
  s.spi = nil
  set_dir(s, 0)
  s.pull = 1
  s.intr = 0
  s.ena = false
  update(pin, s)
end

function vb.gpio_armed(pin)
  local s = pins[pin]
  return s ~= nil and s.ena and s.intr ~= 0
end
