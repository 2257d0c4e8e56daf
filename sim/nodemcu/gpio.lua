-- gpio: levels, modes, and trig callbacks (level, when_us, eventcount) on edges.
local vb = __vboard
-- The pins' levels are the chip's registers, not heap: the table holds every pin from power-up,
-- so the firmware's writes and reads cost the Lua heap nothing, as on the chip.
local levels = {}
for pin = 0, 12 do levels[pin] = 0 end
-- A trig's callback and edge kind by pin: the chip keeps a registry reference to the callback
-- (12 bytes) in a static array; a table of callbacks and one of kinds cost a little more.
local trig_cb, trig_kind = {}, {}

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
    trig_cb[pin], trig_kind[pin] = nil, nil
    return
  end
  trig_cb[pin], trig_kind[pin] = cb, kind
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
  local k = trig_kind[pin]
  if k == nil then return end
  if k == "both" or (k == "up" and level == 1) or (k == "down" and level == 0)
     or (k == "high" and level == 1) or (k == "low" and level == 0) then
    vb.call(trig_cb[pin], level, vb.raw_us(), 1)
  end
end
