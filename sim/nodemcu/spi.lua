-- spi (ESP32, dev-esp32's components/modules/spi_master.c): spi.master(host, {sclk, mosi, miso})
-- routes a host's signals to any pins through the GPIO matrix; bus:device{mode, freq} adds a
-- device; dev:transfer(s) clocks #s bytes out on MOSI, MSB first, and returns what MISO read
-- meanwhile (full duplex). Only HSPI can be had: SPI1 belongs to the flash, and the module's
-- host check tests SPI2_HOST twice, so VSPI (SPI3_HOST) is refused as an invalid host.
-- MISO timing: at clocks far below the GPIO matrix's delay budget, ESP-IDF samples MISO half an
-- SPI clock late (miso_delay_mode), so each bit is read at the end of its MOSI level, once a
-- device clocked by MOSI has answered it: the same as reading MISO after each MOSI write.
local vb = __vboard
local buses = {}

spi = { SPI = 0, HSPI = 1, VSPI = 2, SPI1 = 0, SPI2 = 1, SPI3 = 2 }

local Bus = {}
Bus.__index = Bus
local Device = {}
Device.__index = Device

local function pin_field(cfg, name)
  local v = cfg[name]
  if v == nil then return -1 end
  if type(v) ~= "number" then error("bad field '" .. name .. "' (number expected)", 3) end
  return v
end

function spi.master(host, cfg, dma)
  if host ~= 0 and host ~= 1 then
    if type(host) ~= "number" then error("bad argument #1 to 'master' (number expected, got " .. type(host) .. ")", 2) end
    error("bad argument #1 to 'master' (invalid host)", 2)
  end
  if type(cfg) ~= "table" then
    -- No configuration: the host as some other module set it up (sdmmc shares it this way).
    local other = buses[host]
    return setmetatable({ host = host, devices = 0, live = other ~= nil, mosi = other and other.mosi or -1,
      sclk = other and other.sclk or -1, miso = other and other.miso or -1 }, Bus)
  end
  if dma ~= nil and (dma < 0 or dma > 2) then error("bad argument #3 to 'master' (out of range)", 2) end
  -- SPI1 is the flash's bus; a host already set up refuses a second spi_bus_initialize.
  if host == 0 or buses[host] ~= nil then error("bus init failed", 2) end
  local mosi, sclk, miso = cfg.mosi or -1, cfg.sclk or -1, cfg.miso or -1
  if type(mosi) ~= "number" or type(sclk) ~= "number" or type(miso) ~= "number" then
    pin_field(cfg, "mosi")
    pin_field(cfg, "sclk")
    pin_field(cfg, "miso")
  end
  local bus = setmetatable({ host = host, devices = 0, live = true, mosi = mosi, sclk = sclk, miso = miso, dma = dma or 1 }, Bus)
  buses[host] = bus
  if mosi >= 0 then vb.gpio_spi_out(mosi, 0) end
  if sclk >= 0 then vb.gpio_spi_out(sclk, 0) end
  if miso >= 0 then vb.gpio_spi_in(miso) end
  return bus
end

-- spi_bus_free refuses while devices remain (the Lua call returns nothing either way); otherwise
-- it lets the bus's pins go (gpio_reset_pin).
function Bus:close()
  if not self.live or self.devices > 0 then return end
  self.live = false
  buses[self.host] = nil
  if self.mosi >= 0 then vb.gpio_reset(self.mosi) end
  if self.sclk >= 0 then vb.gpio_reset(self.sclk) end
  if self.miso >= 0 then vb.gpio_reset(self.miso) end
end

local function required(cfg, name, lo, hi)
  local v = cfg[name]
  if type(v) ~= "number" or v < lo or v > hi then error("bad field '" .. name .. "' (" .. lo .. "-" .. hi .. " expected)", 3) end
  return v
end

function Bus:device(cfg)
  if not self.live then error("bad argument #1 to 'device' (no active bus host)", 2) end
  if type(cfg) ~= "table" then error("bad argument #2 to 'device' (table expected)", 2) end
  local mode, freq = cfg.mode, cfg.freq
  if type(mode) ~= "number" or mode < 0 or mode > 3 then required(cfg, "mode", 0, 3) end
  if type(freq) ~= "number" or freq < 0 or freq > 80000000 then required(cfg, "freq", 0, 80000000) end
  if self.devices >= 3 then error("failed to add device", 2) end
  self.devices = self.devices + 1
  return setmetatable({ bus = self, mode = mode, freq = freq, lsb_first = cfg.tx_lsb_first == true }, Device)
end

function Device:remove()
  if self.bus == nil then return end
  self.bus.devices = self.bus.devices - 1
  self.bus = nil
end

-- One byte out and in, bit by bit: MOSI takes the bit (a chip whose PD_SCK it is sees the edge),
-- SCLK pulses, then MISO is sampled.
local function shift_byte(bus, byte, lsb_first)
  local got = 0
  for i = 7, 0, -1 do
    local k = lsb_first and 7 - i or i
    local bit = math.floor(byte / 2 ^ k) % 2
    if bus.mosi >= 0 then vb.gpio_spi_out(bus.mosi, bit) end
    if bus.sclk >= 0 then
      vb.gpio_spi_out(bus.sclk, 1)
      vb.gpio_spi_out(bus.sclk, 0)
    end
    if bus.miso >= 0 and gpio.read(bus.miso) ~= 0 then got = got + 2 ^ k end
  end
  return got
end

function Device:transfer(data)
  if self.bus == nil then error("bad argument #1 to 'transfer' (no device)", 2) end
  if type(data) == "table" then data = data.txdata or "" end
  if type(data) ~= "string" then error("bad argument #2 to 'transfer' (string or table expected)", 2) end
  -- Without DMA a transaction is the host's 64-byte buffer at most (ESP-IDF's limit; the module's docs say 32).
  if self.bus.dma == 0 and #data > 64 then error("transfer failed", 2) end
  local bus = self.bus
  -- A whole HX711 read at once where nothing could tell the difference: no SCLK, MSB first, and
  -- no interrupt armed on MISO that the data bits' edges would fire.
  if bus.sclk < 0 and not self.lsb_first and bus.mosi >= 0 and not vb.spi_bitwise and not vb.gpio_armed(bus.miso) then
    local chip = vb.hx711_at(bus.mosi, bus.miso)
    -- It leaves MOSI low, as it found it.
    local whole = chip and vb.hx711_spi_read(chip, data)
    if whole then return whole end
  end
  local out = {}
  for i = 1, #data do out[i] = string.char(shift_byte(bus, data:byte(i), self.lsb_first)) end
  return table.concat(out)
end
