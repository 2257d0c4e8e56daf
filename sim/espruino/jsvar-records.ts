import { BUILTINS_AT_BOOT } from "./jsvar-builtins.ts";
import { nameVars, type JsVarLayout } from "./jsvar-layout.ts";
import type { JsVarTracker } from "./jsvar-tracker.ts";

type ValueVars = (v: unknown, slot: "str" | "int") => number;

/**
 * The records Espruino 2v29 keeps behind its API, in JsVars, from its source: a timer is an
 * object {time, intr, cb, args} in the hidden "timers" array (jswrap_interactive.c,
 * _jswrap_interface_setTimeoutOrInterval); a watch is {pin, recur, debounce, edge, cb, state} in
 * "watches" (jswrap_io.c, jswrap_interface_setWatch); a required module is cached under its
 * name in the hidden "modules" object (jswrap_modules.c); an SPI instance is an
 * object with a __proto__ and, once set up, "_options" holding the object setup() was given.
 * Built-in objects join the root when named, or when a basic value's property is looked up in
 * their prototype (see jsvar-builtins.ts).
 */
export const recordVars = {
  /** An API object the app holds, or undefined when v is not one. */
  instance(t: JsVarTracker, l: JsVarLayout, v: object, value: ValueVars): number | undefined {
    if (t.moduleValues.has(v)) return 0; // counted with the module cache
    if (!t.spis.has(v)) return undefined;
    const options = t.spis.get(v);
    return 1 + nameVars(l, "__proto__".length) + (options === undefined ? 0 : nameVars(l, "_options".length) + value(options, "str"));
  },

  records(t: JsVarTracker, l: JsVarLayout, value: ValueVars): number {
    const name = (s: string) => nameVars(l, s.length);
    let n = 0;
    for (const timer of t.timers.values()) {
      // The object, "time" (a large integer: µs), "intr" for intervals, "cb", "args", and its index in "timers".
      n += 1 + name("time") + 1 + (timer.repeat ? name("intr") + 1 : 0) + name("cb") + value(timer.fn, "str") + 1;
      if (timer.args.length > 0) n += name("args") + 1 + timer.args.reduce<number>((s, a) => s + 1 + value(a, "int"), 0);
    }
    for (const w of t.watches.values()) {
      const debounceUs = Math.round(w.debounceMs * 1000);
      n += 1 + name("pin") + 1 + name("cb") + value(w.fn, "str") + name("state") + 1 + 1;
      if (w.repeat) n += name("recur") + 1;
      if (debounceUs > 0) n += name("debounce") + value(debounceUs, "str");
      if (w.edge === "rising" || w.edge === "falling") n += name("edge") + value(1, "str");
    }
    if (t.modules.size > 0) n += name("modules") + 1;
    for (const m of t.modules) n += name(m) + 1;
    // Built-in objects in the root: named ones as a native function, those with a prototype
    // (made by `new`, or searched for a basic value's property) with it and its "constructor".
    for (const b of new Set([...t.builtinsNamed, ...t.builtinsWithPrototype])) {
      if (BUILTINS_AT_BOOT.has(b)) continue;
      n += name(b) + 1;
      if (t.builtinsWithPrototype.has(b)) n += name("prototype") + 1 + name("constructor");
    }
    return n;
  },
};
