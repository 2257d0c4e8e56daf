import vm from "node:vm";
import { BUILTIN_OBJECTS } from "./jsvar-builtins.ts";
import type { JsVarTracker } from "./jsvar-tracker.ts";

type Fn = (...a: unknown[]) => unknown;

/**
 * The API the counted code runs with: each call that leaves a record in Espruino (a timer, a
 * watch, a module, an SPI's options, a file read from flash, getTime's float, an ArrayBuffer
 * over a string) is noted in the tracker before the emulated API does its work unchanged. The
 * globals are made a vm context here, so that each built-in object's name can be watched.
 */
export function watchApi(t: JsVarTracker, g: Record<string, unknown>, globals: Record<string, unknown>, memory: () => unknown): Record<string, unknown> {
  const wrapTimer = (repeat: boolean) => (fn: unknown, ms: unknown, ...args: unknown[]) => {
    let id = 0;
    const cb = typeof fn === "function" ? (...a: unknown[]) => ((t.booting = false), (repeat ? undefined : t.timers.delete(id)), (fn as Fn)(...a)) : fn;
    id = (globals[repeat ? "setInterval" : "setTimeout"] as Fn)(cb, ms) as number;
    t.timers.set(id, { fn, args, repeat });
    return id;
  };
  const clear = (name: string) => (id?: number) => {
    (globals[name] as Fn)(id);
    if (id === undefined) t.timers.clear();
    else t.timers.delete(id);
  };
  g.setTimeout = wrapTimer(false);
  g.setInterval = wrapTimer(true);
  g.clearTimeout = clear("clearTimeout");
  g.clearInterval = clear("clearInterval");
  g.setWatch = (fn: unknown, pin: unknown, o?: { repeat?: boolean; debounce?: number; edge?: string }) => {
    let id = 0;
    const repeat = o?.repeat === true;
    const cb = typeof fn === "function" ? (...a: unknown[]) => ((t.booting = false), (repeat ? undefined : t.watches.delete(id)), (fn as Fn)(...a)) : fn;
    id = (globals.setWatch as Fn)(cb, pin, o) as number;
    t.watches.set(id, { fn, repeat, debounceMs: o?.debounce ?? 0, edge: o?.edge ?? "both" });
    return id;
  };
  g.clearWatch = (id?: number) => {
    (globals.clearWatch as Fn)(id);
    if (id === undefined) t.watches.clear();
    else t.watches.delete(id);
  };
  g.require = (name: string) => {
    const m = (globals.require as Fn)(name) as Record<string, unknown>;
    t.modules.add(name);
    const read = m.read as Fn;
    const out = name === "Storage" ? { ...m, read: (file: string) => t.flashString(read(file)) } : m;
    t.moduleValues.add(out);
    return out;
  };
  const Spi = globals.SPI as new () => { setup(o: unknown): unknown };
  g.SPI = class SPI extends Spi {
    constructor() {
      super();
      t.spis.set(this, undefined);
    }

    setup(o: unknown): unknown {
      t.spis.set(this, o);
      return super.setup(o);
    }
  } as unknown;
  g.process = { ...(globals.process as object), memory };
  g.getTime = () => {
    const v = (globals.getTime as Fn)() as number;
    if (t.booting) t.times.add(v);
    return v;
  };
  const E = globals.E as Record<string, unknown>;
  g.E = { ...E, toArrayBuffer: (str: string) => {
    const ab = (E.toArrayBuffer as Fn)(str) as object;
    t.stringBacked.set(ab, String(str));
    return ab;
  } };
for (const v of Object.values(g)) t.addNatives(v);
return watchBuiltinNames(t, vm.createContext(g));
}

/** Turns each built-in object's global into a getter that notes it was named. */
function watchBuiltinNames(t: JsVarTracker, ctx: Record<string, unknown>): Record<string, unknown> {
  const names = [...BUILTIN_OBJECTS].filter((n) => n in ctx || vm.runInContext(`typeof ${n}`, ctx) !== "undefined");
  const values = vm.runInContext(`({${names.join(",")}})`, ctx) as Record<string, unknown>;
  for (const n of names) {
    const v = values[n];
    t.builtinValues.set(v, n);
    t.addNatives(v);
    Object.defineProperty(ctx, n, { configurable: true, enumerable: false, get: () => (t.builtinsNamed.add(n), v), set: (x) => Object.defineProperty(ctx, n, { value: x, writable: true, enumerable: true, configurable: true }) });
  }
  return ctx;
}
