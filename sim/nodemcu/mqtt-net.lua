-- The network under the emulated mqtt modules (mqtt.lua, mqtt-esp32.lua): each connect the
-- firmware makes is a connection the host opens to a real broker (sim/live/mqtt-bridge.ts).
-- Board to host, "~mqtt" lines (strings in hex, "-" for an empty one):
--   ~mqtt connect CONN HOST PORT CLIENTID KEEPALIVE_S CLEAN USER PASSWORD WILLTOPIC WILLMSG WILLQOS WILLRETAIN
--   ~mqtt pub CONN SEQ QOS RETAIN TOPIC PAYLOAD
--   ~mqtt sub CONN SEQ QOS TOPIC
--   ~mqtt close CONN        (DISCONNECT, then the host closes the socket)
-- Host to board, "N t_us CONN EVENT" (vboard.lua), parsed strictly here:
--   up | fail REASON | down | msg QOS TOPIC PAYLOAD | done SEQ (a pub written at QoS 0, PUBACKed
--   at QoS 1, or a sub SUBACKed)
local vb = __vboard
local net = { next_conn = 0, clients = {} }
vb.mqtt_net = net

local function hex(s)
  if s == "" then return "-" end
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function unhex(h)
  if h == "-" then return "" end
  if #h % 2 ~= 0 or h:find("[^%x]") then return nil end
  return (h:gsub("%x%x", function(b) return string.char(tonumber(b, 16)) end))
end

-- What the C side keeps of a Lua string it copies with strlen: the bytes before the first NUL.
function net.cstr(s)
  local nul = s:find("\0", 1, true)
  if nul == nil then return s end
  return s:sub(1, nul - 1)
end

local function send(...)
  vb.write("~mqtt " .. table.concat({ ... }, " ") .. "\n")
end

-- c: host, port, client_id, keepalive, clean, user, password, will_topic, will_msg, will_qos, will_retain.
-- Returns the connection's number; its events go to client:net_event(conn, verb, args...).
function net.open(client, c)
  net.next_conn = net.next_conn + 1
  local conn = net.next_conn
  net.clients[conn] = client
  send("connect", conn, hex(c.host), c.port, hex(c.client_id), c.keepalive, c.clean and 1 or 0, hex(c.user), hex(c.password),
    hex(c.will_topic), hex(c.will_msg), c.will_qos, c.will_retain and 1 or 0)
  return conn
end

function net.publish(conn, seq, qos, retain, topic, payload)
  send("pub", conn, seq, qos, retain and 1 or 0, hex(topic), hex(payload))
end

function net.subscribe(conn, seq, qos, topic)
  send("sub", conn, seq, qos, hex(topic))
end

function net.close(conn)
  send("close", conn)
end

local function bad(conn, ev, why)
  vb.panic("vboard: bad network event for connection " .. conn .. " (" .. why .. "): " .. ev:sub(1, 80))
end

-- An event the host saw on a connection; a malformed one stops the board rather than being lost.
function vb.mqtt_event(conn, ev)
  local client = net.clients[conn]
  if client == nil then bad(conn, ev, "no such connection") end
  if ev == "up" or ev == "down" then return client:net_event(conn, ev) end
  local reason = ev:match("^fail (%-?%d+)$")
  if reason then return client:net_event(conn, "fail", tonumber(reason)) end
  local seq = ev:match("^done (%d+)$")
  if seq then return client:net_event(conn, "done", tonumber(seq)) end
  local qos, topic, payload = ev:match("^msg ([012]) (%S+) (%S+)$")
  if qos then
    topic, payload = unhex(topic), unhex(payload)
    if topic == nil or topic == "" or payload == nil then bad(conn, ev, "topic and payload must be hex") end
    return client:net_event(conn, "msg", tonumber(qos), topic, payload)
  end
  bad(conn, ev, "expected up, down, fail REASON, done SEQ or msg QOS TOPIC PAYLOAD")
end

-- Arguments checked as the C modules' luaL_check* do: an error raised in the caller.
function net.check_string(v, n, fname)
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then error("bad argument #" .. n .. " to '" .. fname .. "' (string expected, got " .. type(v) .. ")", 3) end
  return v
end

function net.check_int(v, n, fname)
  local x = type(v) ~= "boolean" and tonumber(v) or nil
  if x == nil then error("bad argument #" .. n .. " to '" .. fname .. "' (number expected, got " .. type(v) .. ")", 3) end
  return math.floor(x)
end
