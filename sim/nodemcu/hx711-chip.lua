-- The HX711 at its pins, for both NodeMCU boards (sim/devices/hx711-chip.ts models the same chip
-- for the Espruino board). A conversion pulls DOUT low; each rising PD_SCK edge shifts out one of
-- 24 bits, MSB first; the 25th sets DOUT high again, and 25, 26 or 27 pulses in all select A/128,
-- B/32 or A/64 for the NEXT conversion (datasheet Table 3); A/128 after power-up. PD_SCK high for
-- more than 60 us powers it down; back low, it resets and settles before it converts again.
-- The ESP8266's hx711 C module reads a whole conversion at once (vb.hx711_take); the ESP32's SPI
-- clocks it edge by edge through vb.hx711_sck, or whole (vb.hx711_spi_read) where that is the same.
local vb = __vboard
local chips = {}
local by_dout = {}
local by_sck = {}
local DIVISOR = { [25] = 1, [26] = 4, [27] = 2 }

vb.hx711_by_dout = by_dout

function vb.hx711_wire(cell, dout, sck, settle_us)
  local chip = { dout = dout, sck = sck, value = 0, converted = false, pulses = 0, gain = 25,
                 sck_high = false, high_since = 0, settled_at = 0, settle_us = settle_us }
  chips[cell] = chip
  by_dout[dout] = chip
  by_sck[sck] = chip
  vb.gpio_set(dout, 1)
end

local function powered_down(chip)
  return chip.sck_high and vb.now_us - chip.high_since > 60
end

-- A conversion waits to be read: DOUT is low and no pulse has been clocked since.
function vb.hx711_ready(chip)
  return chip.converted and chip.pulses == 0
end

-- Bit `pulse` (1 = MSB) of the 24-bit two's complement value.
local function data_bit(chip, pulse)
  local v = chip.value
  if v < 0 then v = v + 16777216 end
  return math.floor(v / 2 ^ (24 - pulse)) % 2
end

-- A wire that is some chip's PD_SCK changed level (the firmware wrote it, an SPI drove it, or
-- the pin was let go and its pull-up took it).
function vb.hx711_sck(pin, level)
  local chip = by_sck[pin]
  if chip == nil then return end
  local high = level ~= 0
  if not high and powered_down(chip) then
    -- Wake-up is a reset: A/128, nothing converted, and a fresh settling.
    chip.gain = 25
    chip.converted = false
    chip.pulses = 0
    chip.settled_at = vb.now_us + chip.settle_us
    vb.gpio_set(chip.dout, 1)
  end
  local rising = high and not chip.sck_high
  chip.sck_high = high
  if not rising then return end
  chip.high_since = vb.now_us
  if not chip.converted or chip.pulses >= 27 then return end
  chip.pulses = chip.pulses + 1
  if chip.pulses <= 24 then
    vb.gpio_drive(chip.dout, data_bit(chip, chip.pulses))
  else
    if chip.pulses == 25 then vb.gpio_drive(chip.dout, 1) end
    chip.gain = chip.pulses
  end
end

-- A whole read at once, as the C module clocks it: 24 bits and 1-3 more pulses (mode 0-2).
function vb.hx711_take(chip, mode)
  chip.pulses = 25 + mode
  chip.gain = 25 + mode
  vb.gpio_set(chip.dout, 1)
  return chip.value
end

local floor = math.floor
function vb.hx711_convert(cell, counts)
  local chip = chips[cell]
  if powered_down(chip) or vb.now_us < chip.settled_at then return end
  chip.value = floor(counts / DIVISOR[chip.gain] + 0.5)
  local overrun = chip.converted and chip.pulses == 0
  chip.converted = true
  chip.pulses = 0
  -- The ESP8266 module's hx711.start reads each conversion in its own DOUT interrupt, in C.
  local stream = vb.hx711_stream
  if stream ~= nil and stream(chip) then return end
  -- A conversion never read is replaced: DOUT pulses high and falls again.
  if overrun then vb.gpio_drive(chip.dout, 1) end
  vb.gpio_drive(chip.dout, 0)
end

-- The chip whose PD_SCK is `sck` and DOUT `dout`, if there is one.
function vb.hx711_at(sck, dout)
  local chip = by_sck[sck]
  if chip ~= nil and chip.dout == dout then return chip end
  return nil
end

-- MISO's byte for a nibble of data when each 0xAA byte on MOSI makes four pulses: every bit twice.
local SPREAD = {}
for n = 0, 15 do
  local b = 0
  for k = 3, 0, -1 do b = b * 4 + (math.floor(n / 2 ^ k) % 2) * 3 end
  SPREAD[n] = b
end
local FINAL_PULSES = { [0x80] = 25, [0xA0] = 26, [0xA8] = 27 }

-- What MISO reads for an HX711 read clocked over SPI with MOSI as PD_SCK (six 0xAA bytes and a
-- final 0x80/0xA0/0xA8), in one step: the same bytes, pulses and final levels as clocking it
-- edge by edge. nil for anything else, which the caller clocks bit by bit.
local read_pulses = {}
for final, pulses in pairs(FINAL_PULSES) do read_pulses[string.rep("\170", 6) .. string.char(final)] = pulses end

function vb.hx711_spi_read(chip, bytes)
  local pulses = read_pulses[bytes]
  if pulses == nil or not chip.converted or chip.pulses ~= 0 or chip.sck_high then return nil end
  local v = chip.value
  if v < 0 then v = v + 16777216 end
  local floor = math.floor
  local out = string.char(SPREAD[floor(v / 1048576) % 16], SPREAD[floor(v / 65536) % 16], SPREAD[floor(v / 4096) % 16],
    SPREAD[floor(v / 256) % 16], SPREAD[floor(v / 16) % 16], SPREAD[v % 16], 0xFF)
  chip.pulses = pulses
  chip.gain = pulses
  chip.high_since = vb.now_us
  vb.gpio_drive(chip.dout, 1)
  return out
end
