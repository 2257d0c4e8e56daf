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

-- Stand-in sizes (docs/lua-heap.md): while it dials, the chip holds for a client its userdata
-- (lmqtt_userdata, 144 bytes behind a 20-byte header), a dozen registry references (callbacks,
-- strings) and the connection's espconn, esp_tcp and lwIP pcb, some 600 bytes. This stand-in
-- keeps about as much: eight named fields, its settings in one array and its callbacks in another
-- (a table of seventeen fields and one of callbacks by name took twice that).
-- The callbacks by event, in cb[EVENTS[name]]:
local EVENTS = { connect = 1, connfail = 2, offline = 3, message = 4, overflow = 5, puback = 6, suback = 7, unsuback = 8 }
-- The settings, in conf:
local CLIENT_ID, KEEPALIVE, USER, PASSWORD, CLEAN, MAX_MESSAGE_LENGTH, WILL_TOPIC, WILL_MSG, WILL_QOS, WILL_RETAIN = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10

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
  local client_id = tostring(take(is_string) or "NodeMCU_c0ffee")
  local keepalive = take(is_number)
  keepalive = (keepalive == nil or math.floor(keepalive) == 0) and 60 or math.floor(keepalive)
  local user = tostring(take(is_string) or "")
  local password = tostring(take(is_string) or "")
  local clean = take(is_number)
  clean = clean ~= nil and math.floor(clean) ~= 0
  local maxlen = take(is_number)
  maxlen = (maxlen == nil or math.floor(maxlen) == 0) and 1024 or math.floor(maxlen)
  -- No will (false) until lwt() gives one.
  local conf = { client_id, keepalive, user, password, clean, maxlen, false, false, 0, false }
  local cb = { false, false, false, false, false, false, false, false }
  return setmetatable({ cb = cb, queue = {}, qhead = 1, qtail = 0, seq = 0, state = "idle", conf = conf }, Client)
end

function Client:lwt(topic, message, qos, retain)
  local conf = self.conf
  conf[WILL_TOPIC] = net.check_string(topic, 2, "lwt")
  conf[WILL_MSG] = net.check_string(message, 3, "lwt")
  if tonumber(qos) ~= nil and type(qos) ~= "boolean" then conf[WILL_QOS] = math.floor(qos) % 4 end
  if tonumber(retain) ~= nil and type(retain) ~= "boolean" then conf[WILL_RETAIN] = math.floor(retain) ~= 0 end
end

function Client:on(event, fn)
  if type(fn) ~= "function" then error("bad argument #3 to 'on' (function expected, got " .. type(fn) .. ")", 2) end
  if not EVENTS[event] then error("bad argument #2 to 'on' (invalid option '" .. tostring(event) .. "')", 2) end
  self.cb[EVENTS[event]] = fn
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
  if i <= n and type(args[i]) == "function" then self.cb[EVENTS.connect] = args[i] end
  i = i + 1
  if i <= n and type(args[i]) == "function" then self.cb[EVENTS.connfail] = args[i] end
  self.state = "dialing"
  local conf = self.conf
  local will = conf[WILL_TOPIC] and net.cstr(conf[WILL_TOPIC]) ~= ""
  self.conn = net.open(self, {
    host = host, port = port, client_id = net.cstr(conf[CLIENT_ID]), keepalive = conf[KEEPALIVE], clean = conf[CLEAN],
    user = net.cstr(conf[USER]), password = net.cstr(conf[PASSWORD]),
    will_topic = will and net.cstr(conf[WILL_TOPIC]) or "", will_msg = will and net.cstr(conf[WILL_MSG]) or "",
    will_qos = will and conf[WILL_QOS] or 0, will_retain = will and conf[WILL_RETAIN],
  })
end

local function call(self, name, ...)
  local fn = self.cb[EVENTS[name]]
  if fn then vb.call(fn, self, ...) end
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
  if type(fn) == "function" then self.cb[EVENTS.puback] = fn end
  self.seq = self.seq + 1
  enqueue(self, { kind = "pub", seq = self.seq, qos = qos, retain = retain ~= 0, topic = topic, payload = payload })
  return true
end

function Client:subscribe(topic, qos, fn)
  if self.state ~= "up" then error("not connected", 2) end
  if type(topic) == "table" then vb.panic("vboard: mqtt:subscribe with a table of topics is not emulated") end
  topic = net.check_string(topic, 2, "subscribe")
  qos = net.check_int(qos, 3, "subscribe")
  if type(fn) == "function" then self.cb[EVENTS.suback] = fn end
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
  local max = self.conf[MAX_MESSAGE_LENGTH]
  if total <= max then
    if payload == "" then call(self, "message", topic) else call(self, "message", topic, payload) end
  else
    call(self, "overflow", topic, payload:sub(1, math.max(0, #payload - (total - max))))
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
