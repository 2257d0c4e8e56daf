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
