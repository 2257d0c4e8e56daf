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

declare namespace file {
  function getcontents(name: string): string | undefined;
  function putcontents(name: string, data: string): boolean | undefined;
  function remove(name: string): void;
}

declare namespace node {
  function heap(): number;
}

declare function print(text: string): void;
