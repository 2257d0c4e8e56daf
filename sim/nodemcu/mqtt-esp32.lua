-- mqtt on the ESP32, as NodeMCU's dev-esp32 branch has it (components/modules/mqtt.c over
-- ESP-IDF's esp-mqtt). It differs from the ESP8266's:
--   - on() knows only "connect", "message" and "offline" (another name is an error);
--   - connect(host, port, secure, autoreconnect, ok, fail): secure is a number, nil or a TLS
--     table; anything else (a boolean) stops the parsing there, so the callbacks after it are
--     never registered. ok and fail are one-shot; connect() on a live client destroys it first;
--   - a failed connect calls fail(client, -6) and then offline; a drop calls offline; the client
--     is gone after either, and after close() (which sends DISCONNECT and calls nothing);
--   - publish() hands the message to esp-mqtt at once (several may be in flight); its callback is
--     one-shot and the next publish() given one replaces it, so it runs at the next PUBACK only.
--     QoS 0 publishes have none. Without a client it returns false;
--   - subscribe() returns msg_id == ESP_OK, so false even when the SUBSCRIBE went out;
--   - lwt() keeps qos and retain but never hands them to esp-mqtt: the will goes at QoS 0, not
--     retained. Topic and message are C strings cut to 32 and 128 bytes; the client id to 32, the
--     user to 32, the password to 65.
-- NodeMCU reports an error in a callback and carries on (luaL_pcallx); the virtual board panics.
local vb = __vboard
local net = vb.mqtt_net

mqtt = {}

local Client = {}
Client.__index = Client

local EVENTS = { connect = true, message = true, offline = true }

local function cstr(v, n, fname, max)
  return net.cstr(net.check_string(v, n, fname)):sub(1, max)
end

function mqtt.Client(client_id, keepalive, user, password, clean)
  local c = setmetatable({ on_cb = {}, seq = 0, sent = {}, state = "idle", will_topic = "", will_msg = "" }, Client)
  c.client_id = cstr(client_id, 1, "Client", 32)
  c.keepalive = net.check_int(keepalive, 2, "Client")
  local function is_string(v) return type(v) == "string" or type(v) == "number" end
  c.user = is_string(user) and cstr(user, 3, "Client", 32) or ""
  c.password = is_string(password) and cstr(password, 4, "Client", 65) or ""
  c.clean = not (tonumber(clean) ~= nil and type(clean) ~= "boolean" and tonumber(clean) == 0)
  return c
end

function Client:lwt(topic, message, qos, retain)
  self.will_topic = cstr(topic, 2, "lwt", 32)
  self.will_msg = cstr(message, 3, "lwt", 128)
end

function Client:on(event, fn)
  if type(fn) ~= "function" then return end
  if not EVENTS[event or "message"] then error("bad argument #2 to 'on' (invalid option '" .. tostring(event) .. "')", 2) end
  self.on_cb[event or "message"] = fn
end

local function destroy(self)
  if self.conn ~= nil then net.close(self.conn) end
  self.conn, self.state, self.sent = nil, "idle", {}
end

function Client:connect(host, ...)
  destroy(self)
  host = net.check_string(host, 2, "connect")
  local args, n = { ... }, 1
  local port = 1883
  if type(args[n]) == "number" then port, n = math.floor(args[n]), n + 1 elseif args[n] == nil then n = n + 1 end
  if type(args[n]) == "number" then
    if args[n] ~= 0 then error("vboard: TLS is not emulated", 2) end
    n = n + 1
  elseif args[n] == nil then
    n = n + 1
  elseif type(args[n]) == "table" then
    error("vboard: TLS is not emulated", 2)
  end
  if type(args[n]) == "number" then
    if args[n] ~= 0 then vb.panic("vboard: esp-mqtt's own reconnecting (autoreconnect 1) is not emulated") end
    n = n + 1
  end
  if type(args[n]) == "function" then self.ok_cb, n = args[n], n + 1 end
  if type(args[n]) == "function" then self.fail_cb = args[n] end
  self.state = "dialing"
  self.conn = net.open(self, {
    host = host, port = port, client_id = self.client_id, keepalive = self.keepalive, clean = self.clean,
    user = self.user, password = self.password, will_topic = self.will_topic, will_msg = self.will_msg,
    will_qos = 0, will_retain = false,
  })
  return true
end

function Client:close()
  destroy(self)
end

function Client:publish(topic, payload, qos, retain, fn)
  if self.conn == nil then return false end
  topic = net.check_string(topic, 2, "publish")
  payload = net.check_string(payload, 3, "publish")
  qos = net.check_int(qos, 4, "publish")
  retain = net.check_int(retain, 5, "publish")
  if type(fn) == "function" then self.pub_cb = fn end
  if self.state ~= "up" then
    if qos == 0 then return false end
    vb.panic("vboard: a QoS " .. qos .. " publish before the connection is up (esp-mqtt would keep it in its outbox) is not emulated")
  end
  self.seq = self.seq + 1
  self.sent[self.seq] = qos > 0 and "pub" or "pub0"
  net.publish(self.conn, self.seq, qos, retain ~= 0, topic, payload)
  return true
end

function Client:subscribe(topic, qos, fn)
  if self.conn == nil then return false end
  topic = net.check_string(topic, 2, "subscribe")
  qos = net.check_int(qos, 3, "subscribe")
  if type(fn) == "function" then self.sub_cb = fn end
  if self.state ~= "up" then return false end
  self.seq = self.seq + 1
  self.sent[self.seq] = "sub"
  net.subscribe(self.conn, self.seq, qos, topic)
  return false
end

local function call(self, fn, ...)
  if fn ~= nil then vb.call(fn, self, ...) end
end

function Client:net_event(conn, ev, a, b, c)
  if conn ~= self.conn then return end
  if ev == "up" and self.state == "dialing" then
    self.state = "up"
    local ok = self.ok_cb
    self.ok_cb, self.fail_cb = nil, nil
    call(self, ok)
    call(self, self.on_cb.connect)
  elseif ev == "fail" and self.state == "dialing" or ev == "down" and self.state == "up" then
    self.conn, self.state, self.sent = nil, "idle", {}
    local fail = self.fail_cb
    self.ok_cb, self.fail_cb = nil, nil
    call(self, fail, -6)
    call(self, self.on_cb.offline)
  elseif ev == "msg" and self.state == "up" then
    if c == "" then call(self, self.on_cb.message, b) else call(self, self.on_cb.message, b, c) end
  elseif ev == "done" and self.state == "up" then
    local kind = self.sent[a]
    if kind == nil then vb.panic("vboard: mqtt done " .. a .. " for nothing awaiting an ack") end
    self.sent[a] = nil
    local slot = kind == "pub" and "pub_cb" or kind == "sub" and "sub_cb" or nil
    if slot ~= nil then
      local fn = self[slot]
      self[slot] = nil
      call(self, fn)
    end
  elseif ev == "up" or ev == "fail" or ev == "down" and self.state == "dialing" then
    vb.panic("vboard: mqtt " .. ev .. " on connection " .. conn .. " while it is " .. self.state)
  end
end
