-- The virtual NodeMCU's D command (vboard.lua): a long replay's conversions, many to a line,
-- read a number at a time with no pattern (a line and a match a conversion were most of LuaJIT's
-- time). Each count does what a C line does: timers due before its time, the conversion, the
-- tasks it posted. Returns the command's function rather than setting a key on the board's table.
local vb = __vboard
local panic = vb.panic
local find, sub, byte = string.find, string.sub, string.byte

-- The number at pos in a D line (nil for "_" or anything else) and where the next one starts.
-- LuaJIT compiles a loop over the bytes and makes no string; PUC Lua does better cutting one out.
local number_at = function(line, pos)
  local e = find(line, " ", pos, true) or #line + 1
  return tonumber(sub(line, pos, e - 1)), e + 1
end
if jit then
  local cut = number_at
  number_at = function(line, pos)
    local start, c, sign, v = pos, byte(line, pos), 1, 0
    if c == 45 then sign, pos = -1, pos + 1; c = byte(line, pos) end
    if c == nil or c < 48 or c > 57 then return cut(line, start) end
    repeat
      v = v * 10 + c - 48
      pos = pos + 1
      c = byte(line, pos)
    until c == nil or c < 48 or c > 57
    if c ~= nil and c ~= 32 then return cut(line, start) end
    return sign * v, pos + 1
  end
end

local function rows(line)
  local cells, pos = number_at(line, 3)
  if cells == nil then panic("vboard: bad command " .. line:sub(1, 40)) end
  local run_timers, convert, run_tasks = vb.run_timers, vb.hx711_convert, vb.run_tasks
  local len = #line
  while pos <= len do
    local t
    t, pos = number_at(line, pos)
    if t == nil then panic("vboard: bad command " .. line:sub(1, 40)) end
    for cell = 0, cells - 1 do
      local at, counts = pos, nil
      counts, pos = number_at(line, pos)
      if counts ~= nil then
        run_timers(t, false)
        vb.now_us = t
        convert(cell, counts)
        run_tasks()
      elseif sub(line, at, pos - 2) ~= "_" then
        panic("vboard: bad command " .. line:sub(1, 40))
      end
    end
  end
end

return rows
