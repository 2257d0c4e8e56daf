-- wifi (ESP8266, release/dev): station mode and sta.config, as the port joins the network the
-- device record names. The virtual board is on the host's network already: joining prints which
-- network ("~wifi join SSID"), never its password, for tests to see.
local vb = __vboard
wifi = { STATION = 1, SOFTAP = 2, STATIONAP = 3, NULLMODE = 0, sta = {} }
local mode = 0

function wifi.setmode(m)
  if type(m) ~= "number" then error("bad argument #1 to 'setmode' (number expected)", 2) end
  mode = m
  return mode
end

function wifi.sta.config(cfg)
  if type(cfg) ~= "table" or type(cfg.ssid) ~= "string" then error("wifi.sta.config: a table with ssid expected", 2) end
  if mode ~= wifi.STATION and mode ~= wifi.STATIONAP then error("wifi.sta.config: not in station mode", 2) end
  if cfg.auto ~= false then vb.write("~wifi join " .. cfg.ssid .. "\n") end
  return true
end
