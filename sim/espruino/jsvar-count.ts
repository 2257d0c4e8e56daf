import type { JsVarLayout } from "./jsvar-layout.ts";
import { nameVars, packsIntoName, sizedStringVars, stringVars } from "./jsvar-layout.ts";
import { recordVars } from "./jsvar-records.ts";
import { HOOK } from "./jsvar-instrument.ts";
import type { FnInfo } from "./jsvar-source.ts";
import type { JsVarTracker, Made, ScopeToken } from "./jsvar-tracker.ts";

/** Where a value sits: behind a string-keyed name (only integers pack in) or an integer-keyed one (booleans too). */
type Slot = "str" | "int";

const INDEX = /^(0|[1-9][0-9]*)$/;
/** The lengths of "__proto__", "prototype" and "constructor". */
const PROTO_NAME = 9;
const PROTOTYPE_NAME = 9;
const CONSTRUCTOR_NAME = 11;

/**
 * Counts the JsVars Espruino 2v29 would hold for what a run of code on the virtual board can
 * reach: the root scope's names, the scopes closures keep, and the interpreter's records behind
 * the API. A value reached twice is counted once, as Espruino shares it by reference; strings
 * are values in V8, so each place holding one counts its own copy, as a literal or a
 * concatenation makes in Espruino.
 */
export function countJsVars(t: JsVarTracker, layout: JsVarLayout, breakdown?: Map<string, number>): number {
  const { value, strings, backing } = jsVarWalker(t, layout);
  const name = (s: string) => nameVars(layout, s.length);
  let n = 0;
  const rootNames = new Set(t.program.rootNames);
  t.program.rootNames.forEach((nm, k) => {
    let v: unknown;
    try {
      v = t.rootReader?.(k);
    } catch {
      return;
    }
    const own = name(nm) + value(v, "str");
    breakdown?.set(nm, own);
    n += own;
  });
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(t.context ?? {}))) {
    const v: unknown = d.value;
    // Accessors are the built-ins' watched names; API globals are Espruino's natives, not the app's.
    if (d.get || rootNames.has(k) || k === HOOK || t.apiGlobals[k] === v || (k in t.apiGlobals && t.natives.has(v))) continue;
    const own = name(k) + value(v, "str");
    breakdown?.set(k, own);
    n += own;
  }
  const records = recordVars.records(t, layout, value);
  for (const s of new Set(backing)) if (!strings.has(s)) n += t.inFlash(s) ? 1 : stringVars(layout, s.length);
  breakdown?.set("(timers, watches, modules)", records);
  return n + records;
}

/** What one value holds on its own, as E.getSizeOf(v) counts it (for comparing with the real interpreter). */
export function sizeOf(t: JsVarTracker, layout: JsVarLayout, v: unknown): number {
  return jsVarWalker(t, layout).value(v, "str");
}

/** The walk: how many JsVars a value takes where it is held, each object counted the first time it is reached. */
function jsVarWalker(t: JsVarTracker, layout: JsVarLayout) {
  const seen = new Set<unknown>([t.context]);
  /** String values counted where they are held, and strings ArrayBuffers refer to (counted at the end, once, if held nowhere else). */
  const strings = new Set<string>();
  const backing: string[] = [];
  const name = (s: string) => nameVars(layout, s.length);

  const value = (v: unknown, slot: Slot): number => {
    switch (typeof v) {
      case "undefined":
        return 0;
      case "number":
        if (t.times.has(v)) return seen.has(`time:${v}`) ? 0 : (seen.add(`time:${v}`), 1);
        return packsIntoName(layout, v) ? 0 : 1;
      case "boolean":
        return slot === "int" ? 0 : 1;
      case "string":
        strings.add(v);
        return t.inFlash(v) ? 1 : stringVars(layout, v.length);
      case "object":
      case "function":
        return v === null ? 1 : ref(v);
      default:
        return 1;
    }
  };

  const props = (o: object, skip?: Set<string>): number => {
    let n = 0;
    for (const k of Object.keys(o)) {
      if (skip?.has(k)) continue;
      const isIndex = INDEX.test(k);
      n += (isIndex ? 1 : name(k)) + value((o as Record<string, unknown>)[k], isIndex ? "int" : "str");
    }
    return n;
  };

  const scope = (tok: ScopeToken): number => {
    if (seen.has(tok)) return 0;
    seen.add(tok);
    const level = t.program.levels.get(tok.id);
    let n = 1;
    level?.names.forEach((nm, k) => {
      let v: unknown;
      try {
        v = tok.r(k);
      } catch {
        return; // not declared yet when counted: Espruino has no name for it either
      }
      n += name(nm) + value(v, "str");
    });
    return n;
  };

  /** \xFFsco: one scope held directly, or a copied array of them (jsparse.c, jspeiGetScopesAsVar). */
  const scopes = (m: Made): number => {
    const chain: ScopeToken[] = [];
    for (let tok = m.tok; tok; tok = tok.up) if (m.site.chain.includes(tok.id)) chain.unshift(tok);
    if (chain.length === 0) return 0;
    const held = chain.reduce((n, tok) => n + scope(tok), 0);
    return name("\xFFsco") + (chain.length === 1 ? held : 1 + chain.length + held);
  };

  /** Parameters ("\xFF" + name), and the code: in flash one native string, in RAM a copy. */
  const fnBody = (f: FnInfo | undefined): number => {
    if (f === undefined) return 0;
    let n = f.params.reduce((s, p) => s + nameVars(layout, p.length + 1), 0);
    if (f.code !== undefined) n += name("\xFFcod") + (t.fromFlash ? 1 : sizedStringVars(layout, f.code.length));
    if (f.innerName !== undefined) n += name("\xFFnam") + stringVars(layout, f.innerName.length);
    return n;
  };

  const fn = (v: object, m: Made): number => {
    let n = 1 + fnBody(m.fn) + scopes(m);
    if (m.fn?.keepsThis && m.thisOf) n += name("\xFFths") + value(m.thisOf(), "str");
    if (m.cls === undefined) {
      // A plain function given a prototype: "prototype", an object with "constructor".
      const proto = (v as { prototype?: object }).prototype;
      if (t.withPrototype.has(v) && proto) {
        seen.add(proto);
        n += nameVars(layout, PROTOTYPE_NAME) + 1 + nameVars(layout, CONSTRUCTOR_NAME) + props(proto, new Set(["constructor"]));
      }
      return n + props(v);
    }
    const cls = m.cls;
    if (cls.extendsName !== undefined) n += name("\xFFcod") + stringVars(layout, `${cls.extendsName}.apply(this,arguments)`.length);
    if (cls.innerName !== undefined) n += name("\xFFnam") + stringVars(layout, cls.innerName.length);
    const proto = (v as { prototype: object }).prototype;
    seen.add(proto);
    n += nameVars(layout, PROTOTYPE_NAME) + 1 + nameVars(layout, CONSTRUCTOR_NAME);
    const parent = Object.getPrototypeOf(proto) as object | null;
    if (parent !== null && Object.getPrototypeOf(parent) !== null) n += nameVars(layout, PROTO_NAME) + ref(parent);
    const statics = new Set<string>();
    for (const meth of cls.methods) {
      const holder = (meth.isStatic ? v : proto) as Record<string, unknown>;
      if (meth.isStatic) statics.add(meth.name);
      n += name(meth.name) + value(holder[meth.name], "str");
    }
    return n + props(v, statics) + props(proto);
  };

  const object = (o: object): number => {
    if (Array.isArray(o)) return 1 + props(o);
    const tag = Object.prototype.toString.call(o);
    if (tag === "[object ArrayBuffer]") {
      const from = t.stringBacked.get(o);
      if (from !== undefined) return backing.push(from), 1;
      return 1 + sizedStringVars(layout, (o as ArrayBuffer).byteLength);
    }
    if (ArrayBuffer.isView(o)) return 1 + ref(o.buffer);
    const proto = Object.getPrototypeOf(o) as object | null;
    let n = 1 + props(o);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      // A class instance: its prototype stands for the class, counted with it.
      const ctor = (proto as { constructor?: object }).constructor;
      n += nameVars(layout, PROTO_NAME) + (ctor && t.made.has(ctor) ? ref(ctor) : ref(proto));
    }
    return n;
  };

  function ref(v: object): number {
    if (seen.has(v)) return 0;
    seen.add(v);
    const special = recordVars.instance(t, layout, v, value);
    if (special !== undefined) return special;
    if (t.builtinValues.has(v)) return 0; // the root entry its naming made holds it
    if (t.natives.has(v)) return 1;
    const m = t.made.get(v);
    if (m) return fn(v, m);
    if (typeof v === "function") return 1 + props(v);
    return object(v);
  }

  return { value, strings, backing };
}
