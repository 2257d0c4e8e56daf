-- tmr: timer objects with alarm(ms, mode, cb); on the ESP8266 also tmr.now() (31-bit µs, wrapping)
-- and tmr.time(). The ESP32 has neither (its clock is node.uptime()).
local vb = __vboard
local armed = {}
local seq = 0
-- No armed timer is due before this (math.huge: none armed). A stimulus comes a conversion at a
-- time in a long replay, so the scan of every armed timer is left for when one may be due.
local earliest_us = math.huge

tmr = { ALARM_SINGLE = 0, ALARM_AUTO = 1, ALARM_SEMI = 2 }

local Timer = {}
Timer.__index = Timer

-- A timer's slots: a table of five array slots (92 bytes on a 32-bit Lua 5.1) stands in for the
-- chip's userdata (a tmr_t of 36 bytes behind a 20-byte header) and its two registry references,
-- about 80 bytes, rather than a table of named fields three times that (docs/lua-heap.md).
local CB, INTERVAL_US, MODE, DUE, SEQ = 1, 2, 3, 4, 5

function tmr.create()
  return setmetatable({ false, 0, 0, 0, 0 }, Timer)
end

-- The ESP32's timers are FreeRTOS timers at its default 100 Hz, which NodeMCU keeps:
-- pdMS_TO_TICKS(ms) rounds down to 10 ms ticks, a period of 0 ticks fails FreeRTOS's assert
-- (abort, reboot), and a timer started within tick T expires on tick T + n.
local TICK_US = vb.mcu == "esp32" and 10000 or nil

local function interval_us(ms)
  if TICK_US == nil then return math.floor(ms * 1000) end
  local ticks = math.floor(ms * 1000 / TICK_US)
  if ticks < 1 then vb.panic("xTimerCreate: assert failed: a period of " .. ms .. " ms is 0 ticks of 10 ms") end
  return ticks * TICK_US
end

local function arm(t)
  seq = seq + 1
  t[SEQ] = seq
  local from = vb.now_us
  -- Ticks count from the boot.
  if TICK_US ~= nil then from = from - vb.uptime_us() % TICK_US end
  t[DUE] = from + t[INTERVAL_US]
  armed[t] = true
  if t[DUE] < earliest_us then earliest_us = t[DUE] end
end

function Timer:register(ms, mode, cb)
  self[INTERVAL_US] = interval_us(ms)
  self[MODE] = mode
  self[CB] = cb
end

function Timer:start()
  if not self[CB] then error("timer not registered") end
  arm(self)
  return true
end

function Timer:alarm(ms, mode, cb)
  self:register(ms, mode, cb)
  return self:start()
end

function Timer:stop()
  local was = armed[self] ~= nil
  armed[self] = nil
  return was
end

function Timer:unregister()
  armed[self] = nil
  self[CB] = false
end

function Timer:interval(ms)
  self[INTERVAL_US] = interval_us(ms)
end

if vb.mcu == "esp8266" then
  function tmr.now()
    return vb.raw_us()
  end

  function tmr.time()
    return math.floor(vb.uptime_us() / 1000000)
  end
end

function tmr.wdclr() end

-- Fires timers due before t_us (or at it, when inclusive), earliest first, ties by arming order.
local function fire_due(t_us, inclusive)
  while true do
    local best
    for t in pairs(armed) do
      if best == nil or t[DUE] < best[DUE] or (t[DUE] == best[DUE] and t[SEQ] < best[SEQ]) then best = t end
    end
    earliest_us = best == nil and math.huge or best[DUE]
    if best == nil or best[DUE] > t_us or (best[DUE] == t_us and not inclusive) then return end
    vb.now_us = best[DUE]
    if best[MODE] == tmr.ALARM_AUTO then
      seq = seq + 1
      best[SEQ] = seq
      best[DUE] = best[DUE] + math.max(best[INTERVAL_US], 1)
    else
      armed[best] = nil
    end
    vb.call(best[CB], best)
    vb.run_tasks()
  end
end

-- The common case, nothing due, stays out of fire_due's loop: LuaJIT compiles a replay's loop of
-- conversions only if none of the calls it makes enters a loop of its own.
function vb.run_timers(t_us, inclusive)
  if earliest_us > t_us or (earliest_us == t_us and not inclusive) then return end
  fire_due(t_us, inclusive)
end
