-- Files on the ESP32 (dev-esp32): contents go through Lua's own io library, on SPIFFS mounted at
-- "" (components/base_nodemcu/user_main.c); the file module keeps only list, remove, rename,
-- exists (and format, fsinfo, mkdir, rmdir, not emulated). There is no file.open, getcontents or
-- putcontents. Both are backed by the board's in-memory flash, vb.fs; the host's own io stays
-- with the board (vb.write, vb.lines).
local vb = __vboard
-- file.lua has already given exists, remove, rename, list and dofile, the same on both chips.
file.getcontents = nil
file.putcontents = nil
file.open = nil
io = {}

local File = {}
File.__index = File

function io.open(name, mode)
  mode = mode or "r"
  local m = mode:match("^([rwa]%+?)b?$")
  if m == nil then error("bad argument #2 to 'open' (invalid mode)", 2) end
  if type(name) ~= "string" then error("bad argument #1 to 'open' (string expected)", 2) end
  local kind = m:sub(1, 1)
  if kind == "r" and vb.fs[name] == nil then return nil, name .. ": No such file or directory", 2 end
  if kind == "w" then vb.fs[name] = "" end
  if kind == "a" and vb.fs[name] == nil then vb.fs[name] = "" end
  local pos = kind == "a" and #vb.fs[name] or 0
  return setmetatable({ name = name, pos = pos, readable = kind == "r" or m:sub(2) == "+", writable = kind ~= "r" or m:sub(2) == "+", append = kind == "a" }, File)
end

local function open_file(f)
  if f.closed then error("attempt to use a closed file", 3) end
  return vb.fs[f.name] or ""
end

local function read_one(f, fmt)
  local data = open_file(f)
  if type(fmt) == "number" then
    if f.pos >= #data and fmt > 0 then return nil end
    local s = data:sub(f.pos + 1, f.pos + fmt)
    f.pos = f.pos + #s
    return s
  end
  fmt = fmt:gsub("^%*", "")
  local kind = fmt:sub(1, 1)
  if kind == "a" then
    local s = data:sub(f.pos + 1)
    f.pos = #data
    return s
  end
  if kind == "l" or kind == "L" then
    if f.pos >= #data then return nil end
    local stop = data:find("\n", f.pos + 1, true) or #data
    local line = data:sub(f.pos + 1, stop)
    f.pos = stop
    if kind == "l" then line = line:gsub("\n$", "") end
    return line
  end
  if kind == "n" then
    local s = data:match("^%s*[-+]?[%d.]+[eE]?[-+]?%d*", f.pos + 1)
    if s == nil then return nil end
    f.pos = f.pos + #s
    return tonumber(s)
  end
  error("bad argument #1 to 'read' (invalid format)", 3)
end

function File:read(...)
  if not self.readable then return nil, "Bad file descriptor", 9 end
  local n = select("#", ...)
  if n == 0 then return read_one(self, "l") end
  local out = {}
  for i = 1, n do
    out[i] = read_one(self, (select(i, ...)))
    if out[i] == nil then return (unpack or table.unpack)(out, 1, i) end
  end
  return (unpack or table.unpack)(out, 1, n)
end

function File:lines(fmt)
  return function() return read_one(self, fmt or "l") end
end

function File:write(...)
  if not self.writable then return nil, "Bad file descriptor", 9 end
  local data = open_file(self)
  for i = 1, select("#", ...) do
    local s = select(i, ...)
    if type(s) == "number" then s = tostring(s) end
    if type(s) ~= "string" then error("bad argument #" .. i .. " to 'write' (string expected)", 2) end
    if self.append then self.pos = #data end
    data = data:sub(1, self.pos) .. string.rep("\0", self.pos - #data) .. s .. data:sub(self.pos + #s + 1)
    self.pos = self.pos + #s
  end
  vb.fs[self.name] = data
  return self
end

function File:seek(whence, offset)
  local data = open_file(self)
  whence = whence or "cur"
  offset = offset or 0
  local base = whence == "set" and 0 or whence == "end" and #data or self.pos
  if base + offset < 0 then return nil, "Invalid argument", 22 end
  self.pos = base + offset
  return self.pos
end

function File:flush()
  open_file(self)
  return self
end

function File:close()
  open_file(self)
  self.closed = true
  return true
end

function io.lines(name, fmt)
  local f = io.open(name, "r")
  if f == nil then error(name .. ": No such file or directory", 2) end
  return f:lines(fmt)
end
