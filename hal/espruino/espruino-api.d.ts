/*
 * The Espruino 2v29 API that this port uses, and nothing more: the simulator emulates exactly
 * this surface (sim/espruino/), so a call added here needs its emulation there.
 * Pins are plain integers; Espruino accepts them wherever it takes a Pin.
 */

/* Typed arrays are flat on Espruino: 8 samples cost 2 JsVars instead of 9. */
interface Uint8Array {
  readonly length: number;
  [index: number]: number;
}
interface Int32Array {
  readonly length: number;
  [index: number]: number;
}
interface ArrayBuffer {
  readonly byteLength: number;
}
declare var Uint8Array: { new (values: number[] | number | ArrayBuffer): Uint8Array };
declare var Int32Array: { new (length: number): Int32Array };

interface EspruinoWatchEvent {
  state: boolean;
  /** The pin the watch is on. */
  pin: number;
  /** Seconds, on the getTime() clock, when the edge happened. */
  time: number;
}

interface EspruinoWatchOptions {
  edge: string;
  repeat: boolean;
  debounce?: number;
}

/** Espruino's utility object: native maths over a whole array, in C rather than interpreted. */
interface EspruinoE {
  sum(a: Int32Array): number;
  /** The mean of the squared differences from `mean`. */
  variance(a: Int32Array, mean: number): number;
  /** Σ a[i]·b[(i + offset) mod length], natively. */
  convolve(a: Int32Array, b: Int32Array, offset: number): number;
  /** An ArrayBuffer on the string's own bytes: no copy, so a string in flash stays there. */
  toArrayBuffer(s: string): ArrayBuffer;
  /** The bytes as a byte string. */
  toString(data: ArrayBuffer): string;
}
declare var E: EspruinoE;

declare function getTime(): number;
declare function setInterval(fn: () => void, ms: number): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function clearInterval(id: number): void;
declare function clearTimeout(id: number): void;
declare function pinMode(pin: number, mode: string): void;
declare function digitalRead(pin: number): number;
declare function digitalWrite(pin: number, value: number): void;
declare function setWatch(fn: (e: EspruinoWatchEvent) => void, pin: number, options: EspruinoWatchOptions): number;
declare function clearWatch(id: number): void;
declare function print(text: string): void;

/**
 * The crypto module, where the firmware was built with one. SHA256 is there only in builds with
 * it (ESP32, Linux); Espruino's ESP8266 4 MB build has SHA1 only, and its 512 KB build has no
 * crypto module at all: require("crypto") throws.
 */
interface EspruinoCrypto {
  /** The 32-byte digest of the message's bytes, in C. */
  SHA256?: (message: string) => ArrayBuffer;
}

declare function require(module: "crypto"): EspruinoCrypto;

interface EspruinoSpiSetup {
  miso?: number;
  mosi?: number;
  sck?: number;
  baud?: number;
}

declare class SPI {
  constructor();
  setup(options: EspruinoSpiSetup): void;
  /** Clocks data out on MOSI and returns what MISO read, one byte per byte sent. */
  send(data: number[] | Uint8Array): Uint8Array;
}

interface EspruinoStorage {
  /** The file where it lies in flash: no copy into RAM. */
  read(name: string): string | undefined;
  /** With offset (and size, at the first write of a file made in pieces): writes into a file created at that size. */
  write(name: string, data: string, offset?: number, size?: number): boolean;
  erase(name: string): void;
}

declare function require(module: "Storage"): EspruinoStorage;

interface EspruinoNetOptions {
  host: string;
  port: number;
}

/** A TCP socket of the net module. Data are byte strings, in pieces of any size. */
interface EspruinoSocket {
  on(event: "data", fn: (data: string) => void): void;
  /** "close" when the socket has closed (after "error" too); "error" when the connection failed. */
  on(event: "close" | "error", fn: () => void): void;
  write(data: string): void;
  /** Closes the socket once what was written has gone; "close" follows. */
  end(): void;
}

interface EspruinoNet {
  /** Opens a TCP connection; onConnect runs once it is made. */
  connect(options: EspruinoNetOptions, onConnect: () => void): EspruinoSocket;
}

declare function require(module: "net"): EspruinoNet;

/** The Wifi module (ESP32, ESP8266): connect() joins as a station and rejoins on its own after a drop. */
interface EspruinoWifi {
  connect(ssid: string, options: { password: string }): void;
}

declare function require(module: "Wifi"): EspruinoWifi;

/** process.memory(): JsVars in use and free (Espruino counts memory in JsVars, not bytes). */
interface EspruinoMemory {
  free: number;
  usage: number;
  total: number;
}
declare var process: { memory(): EspruinoMemory };
/** With no argument: reset, then run the code saved in flash (.bootcde). */
declare function load(): void;
/** The root scope: what the port puts there, the REPL can call (admit: hal/espruino/console-admissions.ts). */
declare var global: { admit: (lane: number, token: string) => void };
