-- hx711: the C module (init/read/start/stop) and the chip behind it, which it clocks natively.
-- The chip: a conversion pulls DOUT low; a read clocks out 24 bits and 1-3 more pulses, which
-- select A/128, B/32 or A/64 for the NEXT conversion (datasheet Table 3); A/128 after power-up.
-- PD_SCK high for more than 60 us powers it down; back low, it resets and settles before it
-- converts again (sim/devices/hx711-chip.ts models the same chip for the Espruino board).
local vb = __vboard
local chips = {}
local by_dout = {}
local by_sck = {}
local cur = nil
local batch = nil
local DIVISOR = { [0] = 1, [1] = 4, [2] = 2 }

hx711 = {}

function vb.hx711_wire(cell, dout, sck, settle_us)
  local chip = { dout = dout, sck = sck, value = 0, ready = false, mode = 0, sck_high = false, high_since = 0, settled_at = 0, settle_us = settle_us }
  chips[cell] = chip
  by_dout[dout] = chip
  by_sck[sck] = chip
  vb.gpio_set(dout, 1)
end

local function powered_down(chip)
  return chip.sck_high and vb.now_us - chip.high_since > 60
end

-- The firmware wrote a pin: PD_SCK of a chip powers it down or wakes it up.
function vb.hx711_sck(pin, level)
  local chip = by_sck[pin]
  if chip == nil then return end
  if level == 0 and powered_down(chip) then
    chip.mode = 0
    chip.ready = false
    chip.settled_at = vb.now_us + chip.settle_us
    vb.gpio_set(chip.dout, 1)
  end
  if level ~= 0 and not chip.sck_high then chip.high_since = vb.now_us end
  chip.sck_high = level ~= 0
end

local function take(chip, mode)
  chip.ready = false
  chip.mode = mode
  vb.gpio_set(chip.dout, 1)
  return chip.value
end

local function pack24(v)
  if v < 0 then v = v + 16777216 end
  local b0 = v % 256
  local b1 = math.floor(v / 256) % 256
  local b2 = math.floor(v / 65536) % 256
  return string.char(b0, b1, b2)
end

function vb.hx711_convert(cell, counts)
  local chip = chips[cell]
  if powered_down(chip) or vb.now_us < chip.settled_at then return end
  local v = counts / DIVISOR[chip.mode]
  chip.value = math.floor(v + 0.5)
  chip.ready = true
  if batch ~= nil and batch.chip == chip then
    -- hx711.start reads each conversion from its own DOUT interrupt, in C.
    batch.parts[#batch.parts + 1] = pack24(take(chip, batch.mode))
    if #batch.parts == batch.samples then
      local s = table.concat(batch.parts)
      batch.parts = {}
      -- The C module stamps with system_get_time(): 32 bits on the ESP8266 (tmr.now keeps 31).
      vb.call(batch.cb, s, vb.now_us % 4294967296, 0)
    end
    return
  end
  vb.gpio_drive(chip.dout, 0)
end

function hx711.init(clk, data)
  cur = by_dout[data]
  if cur == nil or cur.sck ~= clk then error("hx711.init: no HX711 on clk " .. clk .. ", data " .. data) end
end

function hx711.read(mode)
  if cur == nil then error("hx711.read before hx711.init") end
  if not cur.ready then error("ADC timeout!") end
  return take(cur, mode or 0)
end

function hx711.start(mode, samples, cb)
  if cur == nil then error("hx711.start before hx711.init") end
  batch = { chip = cur, mode = mode, samples = samples, cb = cb, parts = {} }
end

function hx711.stop()
  batch = nil
end
