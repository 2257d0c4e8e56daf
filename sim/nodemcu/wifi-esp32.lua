-- wifi (ESP32, dev-esp32): wifi.mode, wifi.start and sta.config(cfg, save), as the port joins the
-- network the device record names. The virtual board is on the host's network already: joining
-- prints which network ("~wifi join SSID") once the Wi-Fi is started, never its password.
local vb = __vboard
wifi = { STATION = 1, SOFTAP = 2, STATIONAP = 3, NULLMODE = 0, sta = {} }
local mode, started, pending = 0, false, nil

function wifi.mode(m, save)
  if type(m) ~= "number" then error("bad argument #1 to 'mode' (number expected)", 2) end
  mode = m
end

function wifi.sta.config(cfg, save)
  if type(cfg) ~= "table" or type(cfg.ssid) ~= "string" then error("wifi.sta.config: a table with ssid expected", 2) end
  if mode ~= wifi.STATION and mode ~= wifi.STATIONAP then error("wifi.sta.config: not in station mode", 2) end
  pending = cfg.auto ~= false and cfg.ssid or nil
  if started and pending then vb.write("~wifi join " .. pending .. "\n") end
end

function wifi.start()
  started = true
  if pending then vb.write("~wifi join " .. pending .. "\n") end
end
