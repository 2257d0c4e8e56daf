-- What the flashing REPL's board (nodemcu-repl.lua) adds to the emulated modules: the parts of
-- NodeMCU's API a flasher or a person at the REPL uses and the ports do not, so they stay off the
-- replay boards. Called with tx, which sends bytes out of the UART.
--   uart (release app/modules/uart.c, dev-esp32 components/modules/uart.c): setup(id, baud, bits,
--   parity, stopbits[, echo]) returns the baud and sets the console's echo; getconfig; write.
--   file.open on the ESP8266 (release app/modules/file.c): a file object, and the module-level
--   read/readline/write/writeline/seek/flush/close on the file opened last. dev-esp32 has none of
--   these: its files go through io (sim/nodemcu/file-esp32.lua).
local tx = ...
local vb = __vboard

-- Typed code reaches the board, not this machine: the ESP8266 has no io (the global here is the
-- host's), os keeps only the exit the board's reset uses, and loadfile reads the flash, as
-- NodeMCU's does.
if vb.mcu ~= "esp32" then io = nil end
os = { exit = os.exit }
local compile = loadstring or load
function loadfile(name)
  local src = vb.fs[name]
  if src == nil then return nil, "cannot open " .. tostring(name) end
  return compile(src, "@" .. name)
end

local config = { 115200, 8, 0, 1 }
uart = { STOPBITS_1 = 1, STOPBITS_2 = 2, STOPBITS_1_5 = 3, PARITY_NONE = 0, PARITY_EVEN = 1, PARITY_ODD = 2 }

function uart.setup(id, baud, databits, parity, stopbits, echo)
  if id ~= 0 then error("uart.setup: the virtual board has only its console, uart 0", 2) end
  config = { baud, databits, parity, stopbits }
  if echo ~= nil then vb.write("~uart-echo " .. ((tonumber(echo) or 0) > 0 and "1" or "0") .. "\n") end
  return baud
end

function uart.getconfig(id)
  return config[1], config[2], config[3], config[4]
end

function uart.write(id, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "number" then v = string.char(v) end
    -- uart.write sends bytes as they are, without the console's "\n" to "\r\n".
    vb.write("~tx-raw " .. v:gsub(".", function(c) return string.format("%02x", c:byte()) end) .. "\n")
  end
end

if vb.mcu == "esp32" then return end

local Fd = {}
Fd.__index = Fd
local current -- the file opened last, which the module-level functions use

function file.open(name, mode)
  mode = mode or "r"
  if type(name) ~= "string" or #name > 31 then error("bad argument #1 to 'open' (filename invalid)", 2) end
  local kind, plus = mode:match("^([rwa])(%+?)$")
  if kind == nil then return nil end
  if kind == "r" and vb.fs[name] == nil then return nil end
  if kind == "w" or vb.fs[name] == nil then vb.fs[name] = "" end
  current = setmetatable({ name = name, pos = kind == "a" and #vb.fs[name] or 0, append = kind == "a", readable = kind == "r" or plus == "+", writable = kind ~= "r" or plus == "+" }, Fd)
  return current
end

local function use(a)
  if getmetatable(a) == Fd then return a end
  if current == nil then error("open a file first", 3) end
  return current
end

local function data(f)
  if f.closed then error("open a file first", 3) end
  return vb.fs[f.name] or ""
end

function Fd.read(f, n)
  local s = data(f)
  local stop
  if type(n) == "string" then
    stop = s:find(n, f.pos + 1, true) or #s
    stop = math.min(stop, f.pos + 1024)
  else
    stop = f.pos + (n or 1024)
  end
  if f.pos >= #s then return nil end
  local out = s:sub(f.pos + 1, stop)
  f.pos = f.pos + #out
  return out
end

function Fd.readline(f) return Fd.read(f, "\n") end

function Fd.write(f, s)
  local old = data(f)
  if not f.writable then return nil end
  s = tostring(s)
  if f.append then f.pos = #old end
  vb.fs[f.name] = old:sub(1, f.pos) .. string.rep("\0", f.pos - #old) .. s .. old:sub(f.pos + #s + 1)
  f.pos = f.pos + #s
  return true
end

function Fd.writeline(f, s) return Fd.write(f, tostring(s) .. "\n") end

function Fd.seek(f, whence, offset)
  local s = data(f)
  local base = (whence == "set" and 0) or (whence == "end" and #s) or f.pos
  local at = base + (offset or 0)
  if at < 0 then return nil end
  f.pos = at
  return at
end

function Fd.flush(f) data(f) return true end

function Fd.close(f)
  f.closed = true
  if current == f then current = nil end
end

for _, name in ipairs({ "read", "readline", "write", "writeline", "seek", "flush" }) do
  local method = Fd[name]
  file[name] = function(a, ...)
    if getmetatable(a) == Fd then return method(a, ...) end
    return method(use(nil), a, ...)
  end
end

function file.close(a)
  local f = getmetatable(a) == Fd and a or current
  if f ~= nil then Fd.close(f) end
end
