-- The NodeMCU Lua REPL on a virtual board: an extension of sim/nodemcu/vboard.lua ("X path"),
-- hosted by sim/flash/nodemcu-repl-pty.ts, which owns the UART (echo, line editing, the pty).
-- It follows the release branch's app/lua53/lua.c (dev-esp32's is the same code):
--   * boot (B, replacing the board's own): the banner, then init.lua from the flash file system run
--     in the global environment, its error printed as it is; then the prompt;
--   * each line is compiled as "=stdin" and run as a chunk in the global environment; a chunk that
--     ends early ("<eof>") waits for more lines with the prompt ">> "; "=expr" on a first line is
--     "return expr"; results are printed with print; an error is printed as
--     print("Lua error: ", traceback), that is "Lua error: \tstdin:1: ...";
--   * the prompt is _PROMPT or "> " (_PROMPT2 or ">> " within a chunk).
-- print, and the uart module's output, reach the host as "~tx HEX" (bytes before the UART's "\r\n").
-- Commands it adds: Y hex (a line from the UART, without its ending; empty: the prompt again), and
-- Q path (the flash file system written to a host file as NAME\nLENGTH\nBYTES..., then "~dumped":
-- a file keeps the device record's bytes out of the board's output lines).
-- It also gives what a flasher uses and the ports do not: uart.setup (its echo argument reaches the
-- host as "~uart-echo 0|1"), uart.write, uart.getconfig, and on the ESP8266 file.open with its file
-- objects (read, readline, write, writeline, seek, flush, close) and the module-level forms.
local vb = __vboard
local write, flush = vb.write, vb.flush
local host_io = package.loaded.io -- the host's: on the ESP32 the global io is the board's own

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function unhex(h)
  return (h:gsub("%x%x", function(b) return string.char(tonumber(b, 16)) end))
end

local function tx(s)
  if s ~= "" then write("~tx " .. hex(s) .. "\n") end
end

function print(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  tx(table.concat(parts, "\t") .. "\n")
end

-- The modules beside this file, run with the host's dofile (the global one reads the board's flash).
local here = debug.getinfo(1, "S").source:match("^@(.*)[/\\]") or "."
local load_host = loadfile
assert(load_host(here .. "/nodemcu-repl-modules.lua"))(tx)

local function prompt_of(name, default)
  local p = rawget(_G, name)
  if type(p) == "string" or type(p) == "number" then return tostring(p) end
  return default
end

-- The traceback NodeMCU's msghandler makes, without this host's own frames below the chunk.
local function traceback(msg)
  if debug == nil or type(debug.traceback) ~= "function" then return msg end
  local tb = debug.traceback(msg, 2)
  if type(tb) ~= "string" then return tb end
  return (tb:gsub("\n\t%[C%]: in function 'xpcall'.*$", ""):gsub("\n\t%[C%]: in %?$", ""))
end

local function packn(...)
  return select("#", ...), { ... }
end

local unpack = unpack or table.unpack
local pending -- the lines of a chunk not yet complete
local compile = loadstring or load

local function incomplete(err)
  return err:sub(-7) == "'<eof>'" or err:sub(-5) == "<eof>"
end

local function dojob(line)
  local src
  if pending ~= nil then src = pending .. "\n" .. line
  elseif line:sub(1, 1) == "=" then src = "return " .. line:sub(2)
  else src = line end
  local chunk, err = compile(src, "=stdin")
  if chunk == nil and incomplete(err) then
    pending = src
  else
    pending = nil
    if chunk == nil then
      print("Lua error: ", err)
    else
      local n, r = packn(xpcall(chunk, traceback))
      if not r[1] then
        if r[2] ~= nil then print("Lua error: ", r[2]) end
        collectgarbage("collect")
      elseif n > 1 then
        print(unpack(r, 2, n))
      end
    end
  end
  tx(pending ~= nil and prompt_of("_PROMPT2", ">> ") or prompt_of("_PROMPT", "> "))
end

local function banner()
  if vb.mcu == "esp32" then
    return "\nNodeMCU ESP32 build (aisle virtual board) powered by Lua 5.3.5 [5.3-int64-doublefp] on IDF v4.4 (emulated)\n"
  end
  return "\nNodeMCU 3.0.0.0 \n\tbranch: release\n\tcommit: aisle virtual board\n\tSSL: false\n\tbuild type: float\n" ..
    "\tLFS: 0x0 bytes total capacity\n\tmodules: crypto,file,gpio,hx711,mqtt,node,tmr,uart\n" ..
    " build (virtual) powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\n"
end

vb.ops.B = function()
  tx(banner())
  vb.call(function()
    local src = vb.fs["init.lua"]
    if src == nil then
      print("cannot open init.lua")
      return
    end
    local chunk, err = compile(src, "@init.lua")
    if chunk == nil then
      print(err)
      return
    end
    local ok, e = xpcall(chunk, traceback)
    if not ok then print(e) end
  end)
  vb.run_tasks()
  -- pmain queued " \n" before init.lua ran: its job prints the first prompt.
  vb.call(dojob, " ")
  vb.run_tasks()
  flush()
end

vb.ops.Y = function(line)
  local h = line:match("^Y (%x*)$")
  if h == nil then vb.panic("vboard: bad command " .. line:sub(1, 40)) end
  local text = unhex(h)
  if text == "" then
    tx(pending ~= nil and prompt_of("_PROMPT2", ">> ") or prompt_of("_PROMPT", "> "))
  else
    vb.call(dojob, text)
    vb.run_tasks()
  end
  flush()
end

vb.ops.Q = function(line)
  local path = line:match("^Q (.+)$")
  local f = path and host_io.open(path, "wb")
  if f == nil then vb.panic("vboard: cannot write the flash dump to " .. tostring(path)) end
  local names = {}
  for name in pairs(vb.fs) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do f:write(name, "\n", #vb.fs[name], "\n", vb.fs[name]) end
  f:close()
  write("~dumped\n")
  flush()
end
