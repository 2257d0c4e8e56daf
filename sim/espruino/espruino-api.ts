import { createRequire } from "node:module";
import { espruinoCrypto, type EspruinoCryptoBuild } from "./espruino-crypto.ts";
import type { NetBridge } from "./net-bridge.ts";
import type { PinBus } from "./pin-bus.ts";
import type { TimerQueue, VirtualTimer } from "../timer-queue.ts";

/** Espruino's Storage file names are at most 28 characters (2v29). */
const STORAGE_NAME_MAX = 28;

export interface EspruinoEnv {
  timers: TimerQueue;
  pins: PinBus;
  nowUs: () => number;
  storage: Map<string, string>;
  print: (line: string) => void;
  /** load(): the board resets and runs .bootcde once the current code has finished. */
  load: () => void;
  /** What the firmware's crypto module has; "sha256" (the ESP32's) unless given. */
  crypto?: EspruinoCryptoBuild;
  /** require("net"): sockets on Node's real net (sim/espruino/net-bridge.ts); absent, there is no net module. */
  net?: NetBridge;
}

/**
 * The Espruino 2v29 globals that hal/espruino uses (see hal/espruino/espruino-api.d.ts), on the
 * virtual clock and pins. It is a surface to run the real port on, not a JS engine: what the
 * interpreter itself lacks is the dialect checker's business.
 */
export function espruinoGlobals(env: EspruinoEnv): Record<string, unknown> {
  const { timers, pins, nowUs, storage } = env;
  const live = new Map<number, VirtualTimer>();
  let nextTimerId = 1;
  const arm = (fn: unknown, ms: unknown, repeat: boolean): number => {
    if (typeof fn !== "function") throw new TypeError("Espruino: setTimeout/setInterval needs a function");
    const periodUs = Math.max(0, Math.round(Number(ms ?? 0) * 1000));
    const id = nextTimerId++;
    const t = timers.add(nowUs() + periodUs, repeat ? Math.max(1, periodUs) : 0, id, () => {
      if (!repeat) live.delete(id);
      (fn as () => void)();
    });
    live.set(id, t);
    return id;
  };
  const clear = (id?: number) => {
    if (id === undefined) {
      for (const t of live.values()) t.cancelled = true;
      live.clear();
      return;
    }
    const t = live.get(id);
    if (t) t.cancelled = true;
    live.delete(id);
  };
  const bytes = (x: unknown): Uint8Array => (typeof x === "string" ? Uint8Array.from(x, (c) => c.charCodeAt(0)) : new Uint8Array(x as ArrayLike<number>));
  const crypto = espruinoCrypto(env.crypto ?? "sha256");
  const text = (args: unknown[]) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");

  class SPI {
    private miso = -1;
    private mosi = -1;
    private sck = -1;

    setup(o: { miso?: number; mosi?: number; sck?: number }): void {
      this.miso = o.miso ?? -1;
      this.mosi = o.mosi ?? -1;
      this.sck = o.sck ?? -1;
    }

    /** Software SPI, mode 0, MSB first: each bit is put on MOSI, then SCK pulses while MISO is read. */
    send(data: number[] | string): ArrayLike<number> {
      if (this.sck < 0 && this.mosi >= 0 && typeof data !== "string") {
        const whole = pins.shifterFor(this.mosi, this.miso)?.transfer(data);
        if (whole !== undefined) return whole;
      }
      const bytes = typeof data === "string" ? Array.from(data, (c) => c.charCodeAt(0)) : Array.from(data);
      const out = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) {
        let got = 0;
        for (let bit = 7; bit >= 0; bit--) {
          if (this.mosi >= 0) pins.write(this.mosi, (bytes[i] >> bit) & 1);
          if (this.sck >= 0) pins.write(this.sck, 1);
          if (this.miso >= 0 && pins.level(this.miso) !== 0) got |= 1 << bit;
          if (this.sck >= 0) pins.write(this.sck, 0);
        }
        out[i] = got;
      }
      return out;
    }
  }

  const Storage = {
    /** With offset and length, that part of the file (Espruino gives it where it lies in flash, as a boot loader copies files: tools/build/ota-loaders.ts). */
    read(name: string, offset?: number, length?: number): string | undefined {
      const data = storage.get(name);
      if (data === undefined || offset === undefined) return data;
      return data.slice(offset, length === undefined ? undefined : offset + length);
    },
    /** With offset and size, as Espruino: the first write creates the file at `size` bytes, later ones fill it in. */
    /** data: a string, or bytes (an ArrayBuffer or typed array), which Espruino stores as they are. */
    write(name: string, data: unknown, offset?: number, size?: number): boolean {
      if (typeof name !== "string" || name.length === 0 || name.length > STORAGE_NAME_MAX) throw new Error(`Storage: name ${JSON.stringify(name)} must be 1 to ${STORAGE_NAME_MAX} characters`);
      const text = data instanceof Uint8Array || data instanceof ArrayBuffer ? Buffer.from(data as Uint8Array).toString("latin1") : String(data);
      if (offset === undefined) {
        storage.set(name, text);
        return true;
      }
      const current = size !== undefined ? "\xff".repeat(size) : storage.get(name);
      if (current === undefined) throw new Error(`Storage: ${name} must be created with a size before writing at an offset`);
      if (offset + text.length > current.length) throw new Error("Too much data for file size");
      storage.set(name, current.slice(0, offset) + text + current.slice(offset + text.length));
      return true;
    },
    erase(name: string): void {
      storage.delete(name);
    },
    list(): string[] {
      return [...storage.keys()].sort();
    },
  };

  return {
    getTime: () => nowUs() / 1e6,
    setTimeout: (fn: unknown, ms: unknown) => arm(fn, ms, false),
    setInterval: (fn: unknown, ms: unknown) => arm(fn, ms, true),
    clearTimeout: clear,
    clearInterval: clear,
    pinMode: (pin: number, mode: string) => {
      if (typeof pin !== "number") throw new TypeError(`pinMode: ${JSON.stringify(pin)} is not a pin`);
      void mode;
    },
    digitalRead: (pin: number) => pins.level(pin),
    digitalWrite: (pin: number, value: number) => pins.write(pin, value ? 1 : 0),
    setWatch: (fn: unknown, pin: number, o: { edge?: string; repeat?: boolean; debounce?: number } = {}) => {
      if (typeof fn !== "function") throw new TypeError("setWatch: needs a function");
      const edge = o.edge === "rising" || o.edge === "falling" ? o.edge : "both";
      return pins.addWatch(pin, fn as never, edge, o.repeat === true, o.debounce ?? 0);
    },
    clearWatch: (id?: number) => pins.clearWatch(id),
    print: (...args: unknown[]) => env.print(text(args)),
    console: { log: (...args: unknown[]) => env.print(text(args)) },
    SPI,
    global: {},
    process: { env: { VERSION: "2v29" }, memory: () => ({ usage: 0, total: 0, free: 0 }) },
    atob: (b64: string) => Buffer.from(b64, "base64").toString("latin1"),
    E: {
      toString: (x: unknown) => (typeof x === "string" ? x : Buffer.from(bytes(x)).toString("latin1")),
      sum: (a: ArrayLike<number>) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += a[i];
        return s;
      },
      convolve: (a: ArrayLike<number>, b: ArrayLike<number>, offset: number) => {
        const l = b.length;
        let k = ((offset % l) + l) % l;
        let s = 0;
        for (let i = 0; i < a.length; i++) {
          s += a[i] * b[k];
          k = k + 1 === l ? 0 : k + 1;
        }
        return s;
      },
      toArrayBuffer: (s: string) => {
        const b = Buffer.from(String(s), "latin1");
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
      },
      variance: (a: ArrayLike<number>, mean: number) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += (a[i] - mean) * (a[i] - mean);
        return s / a.length;
      },
    },
    load: () => env.load(),
    require: (name: string) => {
      if (name === "Storage") return Storage;
      if (name === "crypto" && crypto !== undefined) return crypto;
      if (name === "net" && env.net !== undefined) return env.net.module;
      // The board is on the host's network already: joining says which network, never its password.
      if (name === "Wifi") return { connect: (ssid: string) => env.print(`~wifi join ${String(ssid)}`) };
      if (name === "heatshrink") {
        const hs = createRequire(import.meta.url)("espruino/libs/heatshrink.js") as { decompress(d: Uint8Array): Uint8Array };
        return { decompress: (data: unknown) => hs.decompress(bytes(data)) };
      }
      throw new Error(`Module ${name} not found`);
    },
  };
}
