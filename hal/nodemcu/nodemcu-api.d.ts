/** @noSelfInFile */
/*
 * The NodeMCU modules the ESP8266 port uses (NodeMCU's release/dev branches), for
 * typescript-to-lua. Module functions are called with a dot (no self); object methods (timers)
 * declare `this` so they are called with a colon. The simulator emulates exactly this surface
 * (sim/nodemcu/*.lua, as the ESP8266). The ESP32's API differs: hal/nodemcu-esp32/.
 */

/* Timers: nodemcu-tmr.d.ts, shared with the ESP32. */
declare namespace tmr {
  /** ESP8266: microseconds since boot, 31 bits, wrapping. */
  function now(): number;
}

declare namespace wifi {
  const STATION: number;
  function setmode(mode: number): number;
  namespace sta {
    function config(cfg: { ssid: string; pwd: string; auto: boolean; save: boolean }): boolean;
  }
}

declare namespace gpio {
  const INPUT: number;
  const OUTPUT: number;
  const INT: number;
  const HIGH: number;
  const LOW: number;
  function mode(pin: number, mode: number): void;
  function read(pin: number): number;
  function write(pin: number, level: number): void;
  /** callback(level, when_us) on each edge of the given type ("up", "down", "both"). */
  function trig(pin: number, type: string, callback: (this: void, level: number, whenUs: number) => void): void;
}

declare namespace hx711 {
  function init(clk: number, data: number): void;
  /** mode 0 = A/128, 1 = B/32, 2 = A/64. */
  function read(mode: number): number;
  /** callback(samples packed as 3-byte little-endian signed ints, system_get_time() of the last one in µs (32 bits), samples dropped). */
  function start(mode: number, samples: number, callback: (this: void, s: string, tUs: number, dropped: number) => void): void;
  function stop(): void;
}

/** A file object of file.open (methods called with a colon). */
interface NodeMcuFile {
  /** Up to n bytes; undefined at the end of the file. */
  read(this: NodeMcuFile, n: number): string | undefined;
  write(this: NodeMcuFile, data: string): boolean | undefined;
  close(this: NodeMcuFile): void;
}

declare namespace file {
  function getcontents(name: string): string | undefined;
  function putcontents(name: string, data: string): boolean | undefined;
  function remove(name: string): void;
  /** mode "r", "w", "a", "r+", "w+" or "a+"; undefined when the file cannot be opened. */
  function open(name: string, mode: string): NodeMcuFile | undefined;
}

declare namespace node {
  function heap(): number;
  /** Reboots the chip: the app starts again from init.lua. */
  function restart(): void;
}

declare function print(text: string): void;

/** Lua's globals: what the port puts there, the interpreter on the UART can call (admit: hal/nodemcu/console-admissions.ts). */
declare var _G: { admit: (this: void, lane: number, token: string) => void };

/**
 * An mqtt client (release branch, 3.0). It sends one message at a time from a queue; the one
 * "puback" callback runs for each publish in order, QoS 0 ones too (once written). A drop empties
 * the queue. A refused CONNACK calls the connect's failure callback and then "offline"; close()
 * queues a DISCONNECT, and "offline" follows it. publish and subscribe raise "not connected"
 * while the link is down. Will and credentials are C strings (cut at a NUL).
 */
interface NodeMcuMqttClient {
  lwt(this: NodeMcuMqttClient, topic: string, message: string, qos: number, retain: number): void;
  /** secure is a boolean (an integer is deprecated); 3.0 has no autoreconnect argument. reason < 0: no CONNACK; > 0: CONNACK's refusal. */
  connect(
    this: NodeMcuMqttClient, host: string, port: number, secure: boolean,
    connected: (this: void, client: NodeMcuMqttClient) => void,
    failed: (this: void, client: NodeMcuMqttClient, reason: number) => void,
  ): void;
  on(this: NodeMcuMqttClient, event: "offline" | "puback", callback: (this: void, client: NodeMcuMqttClient) => void): void;
  /** data is nil for an empty payload. */
  /** "overflow": a message longer than max_message_length (1024), cut to fit. */
  on(this: NodeMcuMqttClient, event: "message" | "overflow", callback: (this: void, client: NodeMcuMqttClient, topic: string, data?: string) => void): void;
  /** retain is 0 or 1 (a boolean is an error). */
  publish(this: NodeMcuMqttClient, topic: string, payload: string, qos: number, retain: number): boolean;
  subscribe(this: NodeMcuMqttClient, topic: string, qos: number): boolean;
  close(this: NodeMcuMqttClient): void;
}

declare namespace mqtt {
  /** cleanSession defaults to 0 in the code (the docs say 1): give it. An empty user or password is left out of CONNECT. */
  function Client(clientId: string, keepaliveS: number, user: string, password: string, cleanSession: number): NodeMcuMqttClient;
}
