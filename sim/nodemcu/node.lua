-- node: heap, restart; on the ESP32 also uptime() (the ESP8266 has none: its clock is tmr.now()).
local vb = __vboard
node = {}

if vb.mcu == "esp32" then
  -- µs since boot, as a float (a float build pushes it with lua_pushnumber), and the bits above 53.
  function node.uptime()
    return vb.now_us + 0.0, 0
  end
end

-- Free heap: what the board leaves Lua, less what the firmware holds now.
function node.heap()
  return math.floor(vb.heap_bytes - (collectgarbage("count") * 1024 - (vb.baseline_bytes or 0)))
end

function node.restart()
  vb.write("~restart\n")
  vb.flush()
  os.exit(4)
end
