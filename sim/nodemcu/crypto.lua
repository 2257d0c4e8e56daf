-- crypto: HMAC-SHA256 and SHA-256 as both chips' crypto modules give them. crypto.new_hmac(algo,
-- key) and crypto.new_hash(algo) return an object with update(data) and finalize(), which returns
-- the raw 32-byte MAC or digest (the ESP8266's release branch, app/modules/crypto.c; dev-esp32's
-- components/modules/crypto.c, whose crypto has no one-shot crypto.hmac). Only SHA256 is
-- emulated: the ports use nothing else.
--
-- SHA-256 (FIPS 180-4) on 32-bit words held as numbers in [0, 2^32), with plain arithmetic and
-- 4-bit lookup tables for and/xor: Lua 5.1 has no bitwise operators and no bit library, so
-- lua5.1, lua5.3 and luajit all run this very code.
crypto = {}

local floor, byte, char, rep = math.floor, string.byte, string.char, string.rep
local WORD = 4294967296

-- XOR4[a * 16 + b + 1] = a xor b, AND4 likewise, for a and b in 0..15.
local XOR4, AND4 = {}, {}
for a = 0, 15 do
  for b = 0, 15 do
    local x, n, p, aa, bb = 0, 0, 1, a, b
    for _ = 1, 4 do
      local abit, bbit = aa % 2, bb % 2
      if abit ~= bbit then x = x + p end
      if abit + bbit == 2 then n = n + p end
      aa, bb, p = (aa - abit) / 2, (bb - bbit) / 2, p * 2
    end
    XOR4[a * 16 + b + 1] = x
    AND4[a * 16 + b + 1] = n
  end
end

local function bitwise(table4, a, b)
  local r, p = 0, 1
  for _ = 1, 8 do
    local an, bn = a % 16, b % 16
    r = r + table4[an * 16 + bn + 1] * p
    a, b, p = (a - an) / 16, (b - bn) / 16, p * 16
  end
  return r
end

local function bxor(a, b) return bitwise(XOR4, a, b) end
local function band(a, b) return bitwise(AND4, a, b) end

local POW = {}
for i = 0, 32 do POW[i] = 2 ^ i end

local function rotr(x, n)
  local low = x % POW[n]
  return low * POW[32 - n] + (x - low) / POW[n]
end

local function shr(x, n)
  return (x - x % POW[n]) / POW[n]
end

-- §4.2.2 and §5.3.3.
local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
local H0 = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }

-- One 64-byte block of s, starting at index at, into the hash words h.
local function compress(h, s, at)
  local w = {}
  for t = 0, 15 do
    local b1, b2, b3, b4 = byte(s, at + 4 * t, at + 4 * t + 3)
    w[t] = ((b1 * 256 + b2) * 256 + b3) * 256 + b4
  end
  for t = 16, 63 do
    local x, y = w[t - 15], w[t - 2]
    local s0 = bxor(bxor(rotr(x, 7), rotr(x, 18)), shr(x, 3))
    local s1 = bxor(bxor(rotr(y, 17), rotr(y, 19)), shr(y, 10))
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) % WORD
  end
  local a, b, c, d, e, f, g, hh = h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
  for t = 0, 63 do
    local s1 = bxor(bxor(rotr(e, 6), rotr(e, 11)), rotr(e, 25))
    local ch = bxor(band(e, f), band(WORD - 1 - e, g))
    local t1 = hh + s1 + ch + K[t + 1] + w[t]
    local s0 = bxor(bxor(rotr(a, 2), rotr(a, 13)), rotr(a, 22))
    local maj = bxor(bxor(band(a, b), band(a, c)), band(b, c))
    hh, g, f, e, d, c, b, a = g, f, e, (d + t1) % WORD, c, b, a, (t1 + s0 + maj) % WORD
  end
  h[1], h[2], h[3], h[4] = (h[1] + a) % WORD, (h[2] + b) % WORD, (h[3] + c) % WORD, (h[4] + d) % WORD
  h[5], h[6], h[7], h[8] = (h[5] + e) % WORD, (h[6] + f) % WORD, (h[7] + g) % WORD, (h[8] + hh) % WORD
end

-- A SHA-256 in progress: whole blocks are compressed as they arrive, the rest waits.
local function sha_new()
  return { h = { H0[1], H0[2], H0[3], H0[4], H0[5], H0[6], H0[7], H0[8] }, pending = "", bytes = 0 }
end

local function sha_update(st, s)
  st.bytes = st.bytes + #s
  local buf = st.pending .. s
  local at = 1
  while #buf - at + 1 >= 64 do
    compress(st.h, buf, at)
    at = at + 64
  end
  st.pending = buf:sub(at)
end

local function sha_final(st)
  -- 0x80, zeros to 56 bytes in the block, then the length in bits as 8 bytes, big-endian (§5.1.1).
  local bits, len = st.bytes * 8, {}
  for i = 8, 1, -1 do
    len[i] = char(bits % 256)
    bits = floor(bits / 256)
  end
  sha_update(st, "\128" .. rep("\0", (55 - st.bytes) % 64) .. table.concat(len))
  local out = {}
  for i = 1, 8 do
    local v = st.h[i]
    out[i] = char(floor(v / 16777216) % 256, floor(v / 65536) % 256, floor(v / 256) % 256, floor(v % 256))
  end
  return table.concat(out)
end

local function sha256(s)
  local st = sha_new()
  sha_update(st, s)
  return sha_final(st)
end

local function need_string(v, what)
  if type(v) ~= "string" then error(what .. ": a string expected, got " .. type(v), 3) end
end

-- The key xor'ed into a whole block with pad (0x36 or 0x5c), keys over a block hashed first (RFC 2104).
local function padded(key, pad)
  local out = {}
  for i = 1, 64 do
    local k = byte(key, i) or 0
    local hi, lo = floor(k / 16), k % 16
    out[i] = char(XOR4[hi * 16 + floor(pad / 16) + 1] * 16 + XOR4[lo * 16 + pad % 16 + 1])
  end
  return table.concat(out)
end

function crypto.new_hmac(algo, key)
  need_string(algo, "crypto.new_hmac algo")
  need_string(key, "crypto.new_hmac key")
  if algo:upper() ~= "SHA256" then error("crypto.new_hmac: the virtual board emulates SHA256 only, not " .. algo, 2) end
  if #key > 64 then key = sha256(key) end
  local inner, outer, done = sha_new(), padded(key, 0x5c), false
  sha_update(inner, padded(key, 0x36))
  local mac = {}
  -- Methods, called with a colon as NodeMCU's userdata are: self must be this object.
  function mac.update(self, data)
    if self ~= mac then error("crypto hmac: call update with a colon", 2) end
    if done then error("crypto hmac: update after finalize", 2) end
    need_string(data, "crypto hmac update")
    sha_update(inner, data)
  end
  function mac.finalize(self)
    if self ~= mac then error("crypto hmac: call finalize with a colon", 2) end
    if done then error("crypto hmac: finalize twice", 2) end
    done = true
    return sha256(outer .. sha_final(inner))
  end
  return mac
end

-- A hash fed in pieces (a bundle's slot, read from flash a piece at a time: hal/nodemcu/bundle-slot.ts).
function crypto.new_hash(algo)
  need_string(algo, "crypto.new_hash algo")
  if algo:upper() ~= "SHA256" then error("crypto.new_hash: the virtual board emulates SHA256 only, not " .. algo, 2) end
  local st, done = sha_new(), false
  local hash = {}
  function hash.update(self, data)
    if self ~= hash then error("crypto hash: call update with a colon", 2) end
    if done then error("crypto hash: update after finalize", 2) end
    need_string(data, "crypto hash update")
    sha_update(st, data)
  end
  function hash.finalize(self)
    if self ~= hash then error("crypto hash: call finalize with a colon", 2) end
    if done then error("crypto hash: finalize twice", 2) end
    done = true
    return sha_final(st)
  end
  return hash
end
