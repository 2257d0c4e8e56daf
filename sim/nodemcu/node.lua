-- node: uptime (ESP32), heap, restart.
local vb = __vboard
node = {}

function node.uptime()
  return vb.now_us
end

-- Free heap: what the board leaves Lua, less what the firmware holds now.
function node.heap()
  return math.floor(vb.heap_bytes - (collectgarbage("count") * 1024 - (vb.baseline_bytes or 0)))
end

function node.restart()
  io.write("~restart\n")
  io.stdout:flush()
  os.exit(4)
end
