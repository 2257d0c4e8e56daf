-- node: heap, restart; on the ESP32 also uptime() (the ESP8266 has none: its clock is tmr.now()).
local vb = __vboard
node = {}

if vb.mcu == "esp32" then
  -- µs since boot, as a float (a float build pushes it with lua_pushnumber), and the bits above 53.
  function node.uptime()
    return vb.uptime_us() + 0.0, 0
  end
end

-- Free heap: what the board leaves Lua, less what the firmware holds now.
function node.heap()
  return math.floor(vb.heap_bytes - (collectgarbage("count") * 1024 - (vb.baseline_bytes or 0)))
end

-- The reset itself (vboard.lua's header): the flash file system for a host that boots the next
-- board on it, then the end of this Lua.
function vb.restart()
  if vb.dump_on_restart then
    local names = {}
    for name in pairs(vb.fs) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      vb.write("~fs " .. name .. " " .. vb.fs[name]:gsub(".", function(c) return string.format("%02x", c:byte()) end) .. "\n")
    end
  end
  vb.write(string.format("~restart %d\n", vb.now_us))
  vb.flush()
  os.exit(4)
end

-- The ESP8266's system_restart() returns, and the chip resets once the running callback is over;
-- the ESP32's esp_restart() does not return.
function node.restart()
  if vb.mcu == "esp32" then vb.restart() end
  vb.restart_pending = true
end
