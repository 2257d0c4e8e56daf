-- file: the flash file system, in memory; preloaded by the host before boot.
local vb = __vboard
file = {}

function file.getcontents(name)
  return vb.fs[name]
end

function file.putcontents(name, data)
  vb.fs[name] = data
  return true
end

function file.exists(name)
  return vb.fs[name] ~= nil
end

function file.remove(name)
  vb.fs[name] = nil
end

function file.rename(old, new)
  if vb.fs[old] == nil or vb.fs[new] ~= nil then return false end
  vb.fs[new] = vb.fs[old]
  vb.fs[old] = nil
  return true
end

-- file.open (the ESP8266's; dev-esp32 has none, file-esp32.lua takes it away): a file object
-- whose read(n), write(s) and close() are called with a colon (what the ports use). The flashing
-- REPL (sim/flash/nodemcu-repl-modules.lua) gives a fuller one, with the module-level forms.
local Fd = {}
Fd.__index = Fd

function file.open(name, mode)
  local kind, plus = (mode or "r"):match("^([rwa])(%+?)$")
  if kind == nil or (kind == "r" and vb.fs[name] == nil) then return nil end
  if kind == "w" or vb.fs[name] == nil then vb.fs[name] = "" end
  return setmetatable({ name = name, pos = kind == "a" and #vb.fs[name] or 0, append = kind == "a", readable = kind == "r" or plus == "+", writable = kind ~= "r" or plus == "+" }, Fd)
end

function Fd:read(n)
  local s = vb.fs[self.name] or ""
  if self.closed or not self.readable or self.pos >= #s then return nil end
  local out = s:sub(self.pos + 1, self.pos + (n or 1024))
  self.pos = self.pos + #out
  return out
end

function Fd:write(data)
  if self.closed or not self.writable then return nil end
  local s = vb.fs[self.name] or ""
  if self.append then self.pos = #s end
  vb.fs[self.name] = s:sub(1, self.pos) .. string.rep("\0", self.pos - #s) .. data .. s:sub(self.pos + #data + 1)
  self.pos = self.pos + #data
  return true
end

function Fd:close()
  self.closed = true
end

function file.list()
  local out = {}
  for name, data in pairs(vb.fs) do out[name] = #data end
  return out
end

-- dofile reads from the flash file system, as on the device; the app's bundle is already
-- compiled (its functions stand in for the ones LFS would hold in flash).
function dofile(name)
  local pre = vb.preloaded and vb.preloaded[name]
  if pre then return pre() end
  local chunk, err = (loadstring or load)(vb.fs[name] or error("cannot open " .. name), "@" .. name)
  if not chunk then error(err) end
  return chunk()
end
