/** @noSelfInFile */
/*
 * The NodeMCU modules the ESP32 port uses (NodeMCU's dev-esp32 branch, Lua 5.3), for
 * typescript-to-lua. Module functions are called with a dot (no self); object methods (timers,
 * SPI hosts and devices, files) declare `this` so they are called with a colon. The simulator
 * emulates exactly this surface (sim/nodemcu/*.lua, as the ESP32). The ESP8266's API differs
 * (hal/nodemcu/nodemcu-api.d.ts): no hx711 module here, no gpio.mode, no tmr.now, no file.open.
 * The firmware needs the spi module, which dev-esp32 leaves out by default (NODEMCU_CMODULE_SPI).
 */

/* Timers: hal/nodemcu/nodemcu-tmr.d.ts, the same on both chips. */

interface Esp32GpioConfig {
  gpio: number | number[];
  /** gpio.IN, gpio.OUT or gpio.IN_OUT. */
  dir: number;
  pull?: number;
  opendrain?: number;
}

declare namespace gpio {
  const IN: number;
  const OUT: number;
  const IN_OUT: number;
  const FLOATING: number;
  const PULL_UP: number;
  const PULL_DOWN: number;
  const INTR_NONE: number;
  const INTR_UP: number;
  const INTR_DOWN: number;
  const INTR_UP_DOWN: number;
  /** Configures pins as GPIO (taking them back from a peripheral) and turns their interrupt off; each table in turn. */
  function config(cfg: Esp32GpioConfig, more?: Esp32GpioConfig): void;
  function read(pin: number): number;
  function write(pin: number, level: number): void;
  /**
   * callback(pin, level) on each edge of the type, from a task the interrupt posts; the pin's
   * interrupt stays off until the callback has returned (edges meanwhile are lost). No timestamp.
   * INTR_NONE removes the callback.
   */
  function trig(pin: number, type: number, callback?: (this: void, pin: number, level: number) => void): void;
}

interface Esp32SpiBusPins {
  sclk?: number;
  mosi?: number;
  miso?: number;
}

interface Esp32SpiDeviceConfig {
  /** SPI mode 0-3. */
  mode: number;
  freq: number;
}

interface Esp32SpiDevice {
  /** Full duplex: sends the bytes on MOSI and returns as many read on MISO meanwhile. */
  transfer(this: Esp32SpiDevice, data: string): string;
  remove(this: Esp32SpiDevice): void;
}

interface Esp32SpiMaster {
  device(this: Esp32SpiMaster, config: Esp32SpiDeviceConfig): Esp32SpiDevice;
  /** Frees the bus; ESP-IDF resets its pins to inputs with pull-ups, interrupts off. */
  close(this: Esp32SpiMaster): void;
}

declare namespace spi {
  const HSPI: number;
  /** Sets up a host with its signals on any pins, through the GPIO matrix; dma 0 (none: 64 bytes a transfer at most), 1 or 2. */
  function master(host: number, pins: Esp32SpiBusPins, dma: number): Esp32SpiMaster;
}

declare namespace wifi {
  const STATION: number;
  function mode(mode: number, save: boolean): void;
  function start(): void;
  namespace sta {
    function config(cfg: { ssid: string; pwd: string; auto: boolean }, save: boolean): void;
  }
}

declare namespace node {
  /** µs since boot, as a float (the bits above 53 come second, and are left out here). */
  function uptime(): number;
  function heap(): number;
  /** Reboots the chip: the app starts again from init.lua. */
  function restart(): void;
}

interface LuaFile {
  /** "a" reads the whole file; a number, up to that many bytes (undefined at the end). */
  read(this: LuaFile, format: string | number): string | undefined;
  /** The file itself, or undefined when the write failed. */
  write(this: LuaFile, data: string): LuaFile | undefined;
  close(this: LuaFile): boolean;
}

/** Lua's io library: on dev-esp32, file contents go through it (the file module has no open). */
declare namespace io {
  function open(name: string, mode: string): LuaFile | undefined;
}

declare namespace file {
  function remove(name: string): void;
}

declare function print(text: string): void;

/** Lua's globals: what the port puts there, the interpreter on the UART can call (admit: hal/nodemcu/console-admissions.ts). */
declare var _G: { admit: (this: void, lane: number, token: string) => void };

/**
 * An mqtt client (dev-esp32, over ESP-IDF's esp-mqtt). Callbacks: on() knows "connect", "message"
 * and "offline" only; a failed connect calls its failure callback (reason -6) and then "offline";
 * a drop calls "offline"; close() sends DISCONNECT and calls nothing. publish and subscribe return
 * false when there is no connection. lwt() keeps qos and retain but never hands them to esp-mqtt:
 * the will goes at QoS 0, not retained. The client id and user are cut to 32 bytes, the password
 * to 65, the will's topic to 32 and its message to 128.
 */
interface Esp32MqttClient {
  lwt(this: Esp32MqttClient, topic: string, message: string, qos: number, retain: number): void;
  /**
   * secure must be a number (0) or nil: a boolean stops the parsing there, and the callbacks after
   * it are never registered. autoreconnect 0 leaves reconnecting to the caller. Both callbacks are
   * one-shot; connect() on a live client destroys that connection first.
   */
  connect(
    this: Esp32MqttClient, host: string, port: number, secure: number, autoreconnect: number,
    connected: (this: void, client: Esp32MqttClient) => void,
    failed: (this: void, client: Esp32MqttClient, reason: number) => void,
  ): boolean;
  on(this: Esp32MqttClient, event: "offline", callback: (this: void, client: Esp32MqttClient) => void): void;
  /** data is nil for an empty payload. */
  on(this: Esp32MqttClient, event: "message", callback: (this: void, client: Esp32MqttClient, topic: string, data?: string) => void): void;
  /**
   * The message goes to esp-mqtt at once (several may be in flight). puback is one-shot and the
   * next publish given one replaces it: it runs at the next PUBACK only. QoS 0 has no PUBACK.
   */
  publish(this: Esp32MqttClient, topic: string, payload: string, qos: number, retain: number, puback?: (this: void, client: Esp32MqttClient) => void): boolean;
  /** Returns msg_id == ESP_OK: false even when the SUBSCRIBE went out. */
  subscribe(this: Esp32MqttClient, topic: string, qos: number): boolean;
  close(this: Esp32MqttClient): void;
}

declare namespace mqtt {
  /** Clean session unless a fifth argument of 0. An empty user or password is left out of CONNECT. */
  function Client(clientId: string, keepaliveS: number, user: string, password: string): Esp32MqttClient;
}
