-- hx711 (ESP8266 only): the C module (init/read/start/stop), which clocks the chip natively
-- (the chip itself is sim/nodemcu/hx711-chip.lua). One chip at a time, as the module's static
-- pins allow; hx711.start reads each conversion from its own DOUT interrupt, in C.
local vb = __vboard
local cur = nil
local batch = nil

hx711 = {}

local function pack24(v)
  if v < 0 then v = v + 16777216 end
  local b0 = v % 256
  local b1 = math.floor(v / 256) % 256
  local b2 = math.floor(v / 65536) % 256
  return string.char(b0, b1, b2)
end

function vb.hx711_stream(chip)
  if batch == nil or batch.chip ~= chip then return false end
  batch.parts[#batch.parts + 1] = pack24(vb.hx711_take(chip, batch.mode))
  if #batch.parts == batch.samples then
    local s = table.concat(batch.parts)
    batch.parts = {}
    -- The C module stamps with system_get_time(): 32 bits on the ESP8266 (tmr.now keeps 31).
    vb.call(batch.cb, s, vb.uptime_us() % 4294967296, 0)
  end
  return true
end

function hx711.init(clk, data)
  cur = vb.hx711_by_dout[data]
  if cur == nil or cur.sck ~= clk then error("hx711.init: no HX711 on clk " .. clk .. ", data " .. data) end
end

function hx711.read(mode)
  if cur == nil then error("hx711.read before hx711.init") end
  if not vb.hx711_ready(cur) then error("ADC timeout!") end
  return vb.hx711_take(cur, mode or 0)
end

function hx711.start(mode, samples, cb)
  if cur == nil then error("hx711.start before hx711.init") end
  batch = { chip = cur, mode = mode, samples = samples, cb = cb, parts = {} }
end

function hx711.stop()
  batch = nil
end
