-- gpio: levels, modes, and trig callbacks (level, when_us, eventcount) on edges.
local vb = __vboard
-- The pins' levels are the chip's registers, not heap: the table holds every pin from power-up,
-- so the firmware's writes and reads cost the Lua heap nothing, as on the chip.
-- Each pin's trig is in the chip's static arrays too (its kind, and a reference to its callback),
-- filled here likewise; the callback itself takes a slot of the Lua registry, 12 bytes, which
-- `callbacks` stands in for, a slot a pin that ever had a trig.
local levels, trig_kind, trig_ref = {}, {}, {}
for pin = 0, 12 do levels[pin], trig_kind[pin], trig_ref[pin] = 0, false, false end
local callbacks = {}

gpio = { INPUT = 0, OUTPUT = 1, INT = 2, OPENDRAIN = 3, HIGH = 1, LOW = 0, PULLUP = 1, FLOAT = 0 }

function gpio.mode(pin, mode, pull) end

function gpio.read(pin)
  return levels[pin] or 0
end

-- Output pins: written by the firmware; an HX711's PD_SCK among them powers it down or wakes it.
function gpio.write(pin, level)
  levels[pin] = level
  vb.hx711_sck(pin, level)
  vb.output(pin, level)
end

function gpio.trig(pin, kind, cb)
  if kind == nil or kind == "none" then
    trig_kind[pin] = false
    if trig_ref[pin] then callbacks[trig_ref[pin]] = false end
    return
  end
  if not trig_ref[pin] then trig_ref[pin] = #callbacks + 1 end
  trig_kind[pin] = kind
  callbacks[trig_ref[pin]] = cb
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
  if not k then return end
  if k == "both" or (k == "up" and level == 1) or (k == "down" and level == 0)
     or (k == "high" and level == 1) or (k == "low" and level == 0) then
    vb.call(callbacks[trig_ref[pin]], level, vb.raw_us(), 1)
  end
end
