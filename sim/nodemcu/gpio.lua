-- gpio: levels, modes, and trig callbacks (level, when_us, eventcount) on edges.
local vb = __vboard
local levels = {}
local trigs = {}

gpio = { INPUT = 0, OUTPUT = 1, INT = 2, OPENDRAIN = 3, HIGH = 1, LOW = 0, PULLUP = 1, FLOAT = 0 }

function gpio.mode(pin, mode, pull) end

function gpio.read(pin)
  return levels[pin] or 0
end

-- Output pins: written by the firmware; an HX711's PD_SCK among them powers it down or wakes it.
function gpio.write(pin, level)
  levels[pin] = level
  vb.hx711_sck(pin, level)
end

function gpio.trig(pin, kind, cb)
  if kind == nil or kind == "none" then
    trigs[pin] = nil
    return
  end
  trigs[pin] = { kind = kind, cb = cb }
end

-- Level before boot: no callback.
function vb.gpio_set(pin, level)
  levels[pin] = level
end

-- A device changes an input.
function vb.gpio_drive(pin, level)
  local old = levels[pin] or 0
  if old == level then return end
  levels[pin] = level
  local t = trigs[pin]
  if t == nil then return end
  local k = t.kind
  if k == "both" or (k == "up" and level == 1) or (k == "down" and level == 0)
     or (k == "high" and level == 1) or (k == "low" and level == 0) then
    vb.call(t.cb, level, vb.raw_us(), 1)
  end
end
