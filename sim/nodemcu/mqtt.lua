-- mqtt on the ESP8266, as NodeMCU's release branch (3.0) has it (app/modules/mqtt.c): the client
-- sends one message at a time from a queue and takes the next only when the last is done (a QoS 0
-- publish written, a QoS 1 PUBACK, a SUBACK), so one "puback" callback (the last one given, to on()
-- or publish()) runs for every publish, QoS 0 ones too, in order. A drop empties the queue. A
-- CONNACK refused or a timeout calls connfail and then, the TCP link having been up, offline too;
-- close() queues a DISCONNECT and offline follows it. Strings the C side copies with strlen (will,
-- credentials) stop at a NUL. cleansession is 0 unless given (the docs say 1; the code memsets).
-- Messages longer than max_message_length (1024 by default) go to "overflow", cut, or nowhere.
local vb = __vboard
local net = vb.mqtt_net

mqtt = {
  CONN_FAIL_SERVER_NOT_FOUND = -5, CONN_FAIL_NOT_A_CONNACK_MSG = -4, CONN_FAIL_DNS = -3,
  CONN_FAIL_TIMEOUT_RECEIVING = -2, CONN_FAIL_TIMEOUT_SENDING = -1, CONNACK_ACCEPTED = 0,
  CONNACK_REFUSED_PROTOCOL_VER = 1, CONNACK_REFUSED_ID_REJECTED = 2, CONNACK_REFUSED_SERVER_UNAVAILABLE = 3,
  CONNACK_REFUSED_BAD_USER_OR_PASS = 4, CONNACK_REFUSED_NOT_AUTHORIZED = 5,
}

local Client = {}
Client.__index = Client

local EVENTS = { connect = true, connfail = true, offline = true, message = true, overflow = true, puback = true, suback = true, unsuback = true }

-- mqtt.Client(clientid, keepalive, user, pass, cleansession, max_message_length): each optional
-- argument is taken only if it has the right type, as the C code walks its stack.
function mqtt.Client(...)
  local args, n, i = { ... }, select("#", ...), 1
  local function take(test)
    if i <= n and test(args[i]) then
      i = i + 1
      return args[i - 1]
    end
  end
  local is_string = function(v) return type(v) == "string" or type(v) == "number" end
  local is_number = function(v) return tonumber(v) ~= nil and type(v) ~= "boolean" end
  local c = setmetatable({ cb = {}, queue = {}, qhead = 1, qtail = 0, seq = 0, state = "idle", will_qos = 0, will_retain = false }, Client)
  c.client_id = tostring(take(is_string) or "NodeMCU_c0ffee")
  local keepalive = take(is_number)
  c.keepalive = (keepalive == nil or math.floor(keepalive) == 0) and 60 or math.floor(keepalive)
  c.user = tostring(take(is_string) or "")
  c.password = tostring(take(is_string) or "")
  local clean = take(is_number)
  c.clean = clean ~= nil and math.floor(clean) ~= 0
  local maxlen = take(is_number)
  c.max_message_length = (maxlen == nil or math.floor(maxlen) == 0) and 1024 or math.floor(maxlen)
  return c
end

function Client:lwt(topic, message, qos, retain)
  self.will_topic = net.check_string(topic, 2, "lwt")
  self.will_msg = net.check_string(message, 3, "lwt")
  if tonumber(qos) ~= nil and type(qos) ~= "boolean" then self.will_qos = math.floor(qos) % 4 end
  if tonumber(retain) ~= nil and type(retain) ~= "boolean" then self.will_retain = math.floor(retain) ~= 0 end
end

function Client:on(event, fn)
  if type(fn) ~= "function" then error("bad argument #3 to 'on' (function expected, got " .. type(fn) .. ")", 2) end
  if not EVENTS[event] then error("bad argument #2 to 'on' (invalid option '" .. tostring(event) .. "')", 2) end
  self.cb[event] = fn
end

-- connect(host[, port[, secure]][, function(client)[, function(client, reason)]]): no autoreconnect.
function Client:connect(host, ...)
  if self.state == "up" then error("already connected", 2) end
  if self.state == "dialing" then vb.panic("vboard: mqtt:connect() while a connect is under way, where NodeMCU's behaviour is undefined") end
  local args, n, i = { ... }, select("#", ...), 1
  host = net.check_string(host, 2, "connect")
  local port = 1883
  if i <= n and tonumber(args[i]) ~= nil and type(args[i]) ~= "boolean" then port, i = math.floor(args[i]), i + 1 end
  local secure = false
  if i <= n and (type(args[i]) == "number" or type(args[i]) == "boolean") then
    if type(args[i]) == "number" then
      print("Warning, deprecated API! mqtt.connect secure parameter as integer. It will be removed in the future.")
      secure = args[i] ~= 0
    else
      secure = args[i]
    end
    i = i + 1
  end
  if secure then error("ssl not available", 2) end
  if i <= n and type(args[i]) == "function" then self.cb.connect = args[i] end
  i = i + 1
  if i <= n and type(args[i]) == "function" then self.cb.connfail = args[i] end
  self.state = "dialing"
  local will = self.will_topic ~= nil and net.cstr(self.will_topic) ~= ""
  self.conn = net.open(self, {
    host = host, port = port, client_id = net.cstr(self.client_id), keepalive = self.keepalive, clean = self.clean,
    user = net.cstr(self.user), password = net.cstr(self.password),
    will_topic = will and net.cstr(self.will_topic) or "", will_msg = will and net.cstr(self.will_msg) or "",
    will_qos = will and self.will_qos or 0, will_retain = will and self.will_retain,
  })
end

local function call(self, name, ...)
  local fn = self.cb[name]
  if fn ~= nil then vb.call(fn, self, ...) end
end

-- The head of the queue goes out when nothing is awaiting its ack.
local function send_next(self)
  local m = self.queue[self.qhead]
  if m == nil or m.sent then return end
  m.sent = true
  if m.kind == "pub" then
    net.publish(self.conn, m.seq, m.qos, m.retain, m.topic, m.payload)
  elseif m.kind == "sub" then
    net.subscribe(self.conn, m.seq, m.qos, m.topic)
  else
    net.close(self.conn)
  end
end

local function enqueue(self, m)
  self.qtail = self.qtail + 1
  self.queue[self.qtail] = m
  send_next(self)
end

local function drop_queue(self)
  self.queue, self.qhead, self.qtail = {}, 1, 0
end

function Client:publish(topic, payload, qos, retain, fn)
  if self.state ~= "up" then error("not connected", 2) end
  topic = net.check_string(topic, 2, "publish")
  payload = net.check_string(payload, 3, "publish")
  qos = net.check_int(qos, 4, "publish")
  retain = net.check_int(retain, 5, "publish")
  if type(fn) == "function" then self.cb.puback = fn end
  self.seq = self.seq + 1
  enqueue(self, { kind = "pub", seq = self.seq, qos = qos, retain = retain ~= 0, topic = topic, payload = payload })
  return true
end

function Client:subscribe(topic, qos, fn)
  if self.state ~= "up" then error("not connected", 2) end
  if type(topic) == "table" then vb.panic("vboard: mqtt:subscribe with a table of topics is not emulated") end
  topic = net.check_string(topic, 2, "subscribe")
  qos = net.check_int(qos, 3, "subscribe")
  if type(fn) == "function" then self.cb.suback = fn end
  self.seq = self.seq + 1
  enqueue(self, { kind = "sub", seq = self.seq, qos = qos, topic = topic })
  return true
end

function Client:close()
  if self.state == "up" then enqueue(self, { kind = "close" }) end
end

-- A PUBLISH too long for max_message_length: its start to "overflow", if anyone listens.
local function deliver(self, qos, topic, payload)
  local rest = 2 + #topic + (qos > 0 and 2 or 0) + #payload
  local total = 1 + rest + (rest < 128 and 1 or rest < 16384 and 2 or 3)
  if total <= self.max_message_length then
    if payload == "" then call(self, "message", topic) else call(self, "message", topic, payload) end
  else
    call(self, "overflow", topic, payload:sub(1, math.max(0, #payload - (total - self.max_message_length))))
  end
end

function Client:net_event(conn, ev, a, b, c)
  if conn ~= self.conn then return end
  if ev == "up" and self.state == "dialing" then
    self.state = "up"
    call(self, "connect")
  elseif ev == "fail" and self.state == "dialing" then
    self.state = "idle"
    drop_queue(self)
    call(self, "connfail", a)
    if a ~= mqtt.CONN_FAIL_DNS and a ~= mqtt.CONN_FAIL_SERVER_NOT_FOUND then call(self, "offline") end
  elseif ev == "down" and self.state == "up" then
    self.state = "idle"
    drop_queue(self)
    call(self, "offline")
  elseif ev == "msg" and self.state == "up" then
    deliver(self, a, b, c)
  elseif ev == "done" and self.state == "up" then
    local m = self.queue[self.qhead]
    if m == nil or not m.sent or m.seq ~= a then vb.panic("vboard: mqtt done " .. a .. " but the message awaiting its ack is " .. tostring(m and m.sent and m.seq)) end
    self.queue[self.qhead] = nil
    self.qhead = self.qhead + 1
    call(self, m.kind == "pub" and "puback" or "suback")
    send_next(self)
  elseif ev == "up" or ev == "fail" then
    -- (A late down, msg or done after a drop or a close is no news.)
    vb.panic("vboard: mqtt " .. ev .. " on connection " .. conn .. " while it is " .. self.state)
  end
end
