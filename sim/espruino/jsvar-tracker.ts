import ts from "typescript";
import { watchApi } from "./jsvar-api-watch.ts";
import { prototypeChain } from "./jsvar-builtins.ts";
import { HOOK, instrument, type Instrumented, type Site } from "./jsvar-instrument.ts";
import type { ClassInfo, FnInfo } from "./jsvar-source.ts";

/** One scope object of a running program: a function call's or a block's. */
export interface ScopeToken {
  id: number;
  up: ScopeToken | undefined;
  r: (k: number) => unknown;
}

/** What the counter knows of a function or class value: where it was made, and in which scopes. */
export interface Made {
  site: Site;
  fn?: FnInfo;
  cls?: ClassInfo;
  tok: ScopeToken | undefined;
  thisOf?: () => unknown;
}

export interface LiveTimer {
  fn: unknown;
  args: unknown[];
  repeat: boolean;
}

export interface LiveWatch {
  fn: unknown;
  repeat: boolean;
  debounceMs: number;
  edge: string;
}

/**
 * One run of code on the virtual board (the uploaded file, or .bootcde after load()), seen as
 * Espruino would hold it: which functions came from which source, flash or RAM, the scopes they
 * keep, and the interpreter's own records behind the API (timers, watches, modules, SPI).
 */
export class JsVarTracker {
  readonly program: Instrumented;
  readonly made = new WeakMap<object, Made>();
  readonly timers = new Map<number, LiveTimer>();
  readonly watches = new Map<number, LiveWatch>();
  readonly modules = new Set<string>();
  /** Built-in objects the code named (each then in Espruino's root), and those given a prototype there by `new` or a property search. */
  readonly builtinsNamed = new Set<string>();
  readonly builtinsWithPrototype = new Set<string>();
  /** The values of built-in objects, by name: held by the root entry their naming made. */
  readonly builtinValues = new Map<unknown, string>();
  /** Plain functions given a prototype (by `new`, or by reading .prototype): classes always have one. */
  readonly withPrototype = new WeakSet<object>();
  /** SPI instances, with the options object each was last set up with. */
  readonly spis = new Map<object, unknown>();
  /** What require() returned: Espruino holds one native per module, in its cache. */
  readonly moduleValues = new Set<unknown>();
  /** Values of the emulated API: natives to Espruino, one variable each when the app holds one. */
  readonly natives = new Set<unknown>();
  /** Strings that live in flash, one variable each: long literals of pretokenised flash code. */
  readonly flashStrings = new Set<string>();
  /** Files read from Storage: Espruino returns them in place in flash, and their pieces (split, slice) too. */
  readonly flashFiles = new Set<string>();
  /**
   * What getTime() returned: in Espruino always a float, one variable shared by every name it is
   * assigned to, where V8 shows a whole number (the virtual clock starts at 0) as an integer.
   */
  readonly times = new Set<number>();
  /** Until the first timer or watch runs: later getTime() values are mostly passing ones, and could be mistaken for whole numbers held elsewhere. */
  booting = true;
  /** ArrayBuffers E.toArrayBuffer made: Espruino's refer to the string they were made from, not a copy. */
  readonly stringBacked = new WeakMap<object, string>();
  apiGlobals: Record<string, unknown> = {};
  rootReader: ((k: number) => unknown) | undefined;
  context: Record<string, unknown> | undefined;
  private readonly sites = new Map<number, Site>();

  constructor(code: string, filename: string, readonly fromFlash: boolean, pretokenised: boolean) {
    this.program = instrument(code, filename);
    for (const s of this.program.sites) this.sites.set(s.id, s);
    if (fromFlash && pretokenised) for (const s of stringLiterals(code, filename)) this.flashStrings.add(s);
  }

  /** The globals the instrumented code runs with: the API, watched (jsvar-api-watch.ts), plus the hook. */
  wrap(globals: Record<string, unknown>, memory: () => unknown): Record<string, unknown> {
    this.apiGlobals = globals;
    return watchApi(this, { ...globals, [HOOK]: this.hook() }, globals, memory);
  }

  addNatives(v: unknown): void {
    if ((typeof v !== "object" && typeof v !== "function") || v === null || this.natives.has(v)) return;
    this.natives.add(v);
    if (typeof v === "object") for (const x of Object.values(v)) this.addNatives(x);
  }

  flashString(v: unknown): unknown {
    if (typeof v === "string") this.flashFiles.add(v);
    return v;
  }

  /** Whether a string is held in flash: a literal of pretokenised code, a file, or a piece of one. */
  inFlash(s: string): boolean {
    if (this.flashStrings.has(s)) return true;
    if (s.length === 0) return false;
    for (const f of this.flashFiles) if (f.includes(s)) return true;
    return false;
  }

  private hook(): object {
    return {
      root: (r: (k: number) => unknown) => void (this.rootReader = r),
      p: (v: unknown, name: string) => {
        for (const c of prototypeChain(v)) this.builtinsWithPrototype.add(c);
        if (name === "prototype" && typeof v === "function") this.withPrototype.add(v);
        return v;
      },
      n: (made: unknown) => {
        const ctor = (Object.getPrototypeOf(made) as { constructor?: object } | null)?.constructor;
        const builtin = this.builtinValues.get(ctor);
        if (builtin !== undefined) this.builtinsWithPrototype.add(builtin);
        else if (ctor !== undefined) this.withPrototype.add(ctor);
        return made;
      },
      t: (id: number, up: ScopeToken | undefined, r: (k: number) => unknown): ScopeToken => ({ id, up, r }),
      f: (value: unknown, siteId: number, tok: ScopeToken | undefined, thisOf?: () => unknown) => {
        const site = this.sites.get(siteId);
        if (site === undefined || (typeof value !== "function" && typeof value !== "object") || value === null) return value;
        const v = value as Record<string, unknown>;
        if (site.cls) {
          this.made.set(v, { site, cls: site.cls, fn: site.cls.ctor, tok });
          const proto = v.prototype as Record<string, unknown>;
          for (const m of site.cls.methods) this.register((m.isStatic ? v : proto)[m.name], { site, fn: m.fn, tok });
        } else if (site.methods) {
          for (const m of site.methods) this.register(v[m.name], { site, fn: m.fn, tok });
        } else this.made.set(v, { site, fn: site.fn, tok, thisOf });
        return value;
      },
    };
  }

  private register(v: unknown, m: Made): void {
    if (typeof v === "function") this.made.set(v, m);
  }
}

/** Every string literal of the code: pretokenised flash code keeps those longer than a block in flash (jslex.c, jslGetRawString). */
function stringLiterals(code: string, filename: string): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile(filename, code, ts.ScriptTarget.ES2015, true, ts.ScriptKind.JS));
  return out;
}
