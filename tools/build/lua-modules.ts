/*
 * The module table of a NodeMCU bundle. typescript-to-lua names each module by its path, in the
 * table and in every require ("firmware.core.cell-filter" some fifty times); numbers instead save
 * a kilobyte of the ESP8266's flash, and mean nothing less at run time.
 *
 * Some imports are lazy (LAZY_LUA_IMPORTS). On NodeMCU the code stays in flash (LFS), but every
 * function value and table a module makes when it loads is Lua heap: the shelf's command path
 * and what only boot reads would hold several KB for good. A lazy import is a stub that loads the
 * module with everything it imports, runs the call, and drops them again, so they hold heap only
 * while a call runs. Each call loads them afresh: a module of that world keeps nothing between
 * calls. So the build refuses a lazily loaded module with module-level variables (but for the
 * scratch state listed in LAZY_SCRATCH_STATE), and a module the boot code loads too is shared
 * with it, not loaded afresh, when it holds state or identity (module-level variables, objects
 * made at load, or a class something tests with instanceof). Only functions may be imported
 * lazily, each used only in calls: the build checks that too.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../paths.ts";

/** Importer → the modules it imports lazily (repo-relative paths, without .ts). */
export const LAZY_LUA_IMPORTS: Record<string, string[]> = {
  // Commands come a few times a year; the device config and the calibration record are read once, at boot.
  // Payloads are made a few times a minute (an event, a fault, periodic health) or, while streaming, once a batch.
  // A boot not on trial keeps nothing of bundle updates (ota-boot.ts); their commands come with the others.
  "firmware/apps/shelf/online": ["firmware/apps/shelf/shelf-command", "firmware/core/device-config", "firmware/core/boot-count", "firmware/core/shelf-payloads", "firmware/core/ota-boot"],
  "firmware/apps/shelf/stored-pipeline": ["firmware/core/calibration-store"],
  // An episode ends a few times a minute at most: its attribution need not stay.
  "firmware/core/shelf-pipeline": ["firmware/core/episode-resolve"],
  // The status and each outbox message's head: the CBOR writer is loaded with them, not kept.
  "firmware/core/telemetry": ["firmware/core/telemetry-payloads"],
  // Admissions come a few times a minute, and each is a few KB of CBOR and HMAC that need not stay, nor the
  // command's device (gate-command.ts); events come as often, and their payloads' CBOR writer need not stay either.
  "firmware/apps/gate/online": ["firmware/apps/gate/gate-command", "firmware/core/device-config", "firmware/core/boot-count", "firmware/core/ota-boot", "firmware/core/gate-payloads"],
  // The second slot of bundle updates: its code is loaded for the command that uses it.
  "hal/nodemcu/online-shelf-hal": ["hal/nodemcu/bundle-slot"],
  "hal/nodemcu/online-gate-hal": ["hal/nodemcu/bundle-slot"],
  "hal/nodemcu-esp32/online-shelf-hal": ["hal/nodemcu-esp32/bundle-slot"],
  "hal/nodemcu-esp32/online-gate-hal": ["hal/nodemcu-esp32/bundle-slot"],
};

/** Lazily loaded modules whose module-level variables are one call's scratch, set afresh by each. */
export const LAZY_SCRATCH_STATE = ["firmware/core/cbor-reader"];

export class LazyModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LazyModuleError";
  }
}

const HEADER = /^\["([^"]+)"\] = function\(\.\.\.\) ?$/gm;
const ENTRY = /^local ____entry = require\("([^"]+)", \.\.\.\)$/m;
const TSTL_REQUIRE = /^local function require\(file, \.\.\.\)\n[\s\S]*?\n\s*end\n\s*end\nend\n(?=____modules = \{)/m;

/*
 * Lazy modules are numbered 1..K. Their factories live in ____lazyWorld, whose closures exist
 * only while it runs: after boot, the table of modules is empty until a lazy call fills it.
 */
const requireWithLazy = (k: number) => `local function require(file, ...)
    local value = ____moduleCache[file]
    if value ~= nil then
        return value
    end
    local module = ____modules[file]
    if module == nil then
        if ____originalRequire then
            return ____originalRequire(file)
        end
        error("module '" .. tostring(file) .. "' not found")
    end
    if (select("#", ...) > 0) then value = module(...) else value = module(file) end
    ____moduleCache[file] = value
    return value
end
local ____booted = false
local ____lazyWorld
local function ____unload(...)
    local kept = {}
    for file, value in pairs(____moduleCache) do
        if file > ${k} then
            kept[file] = value
        end
    end
    ____moduleCache = kept
    if ____booted then
        ____modules = {}
    end
    return ...
end
local function ____lazy(file, name, ...)
    ____unload()
    for f, module in pairs(____lazyWorld()) do
        ____modules[f] = module
    end
    return ____unload(require(file)[name](...))
end
`;

interface Module {
  name: string;
  start: number;
  end: number;
  requires: Set<string>;
}

function modulesOf(bundle: string): Map<string, Module> {
  const heads = [...bundle.matchAll(HEADER)];
  const close = bundle.lastIndexOf("\n}\nlocal ____entry");
  const mods = new Map<string, Module>();
  heads.forEach((h, i) => {
    const start = h.index!;
    const end = i + 1 < heads.length ? heads[i + 1].index! : close;
    mods.set(h[1], { name: h[1], start, end, requires: new Set([...bundle.slice(start + h[0].length, end).matchAll(/require\("([^"]+)"/g)].map((m) => m[1])) });
  });
  return mods;
}

const pathOf = (name: string) => name.replace(/\./g, "/");
const sourceOf = (name: string): string | undefined => {
  const f = join(REPO, pathOf(name) + ".ts");
  return existsSync(f) ? readFileSync(f, "utf8") : undefined;
};

/** Classes some firmware or port code tests with instanceof: their identity matters. */
function instanceofClasses(): Set<string> {
  const names = new Set<string>();
  for (const dir of ["firmware", "hal"]) {
    for (const f of readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" })) {
      if (!f.endsWith(".ts")) continue;
      for (const m of readFileSync(join(REPO, dir, f), "utf8").matchAll(/\binstanceof\s+(\w+)/g)) names.add(m[1]);
    }
  }
  return names;
}

function moduleVariables(src: string): number {
  return src.split("\n").findIndex((l) => /^(export )?(let|var) /.test(l));
}

function holdsIdentity(src: string, classes: Set<string>): boolean {
  if (moduleVariables(src) >= 0 || /^(export )?const \w+(: [^=]+)? = (new |\{|\[)/m.test(src)) return true;
  return [...src.matchAll(/^export class (\w+)/gm)].some((m) => classes.has(m[1]));
}

function reach(from: string[], mods: Map<string, Module>, cut: (from: string, to: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length) {
    const m = todo.pop()!;
    if (seen.has(m) || !mods.has(m)) continue;
    seen.add(m);
    for (const r of mods.get(m)!.requires) if (!cut(m, r)) todo.push(r);
  }
  return seen;
}

/** An importer's requires of a lazy module become stubs; every imported name must be a function used only in calls. */
function stubImports(body: string, importer: string, lazy: string): string {
  const esc = lazy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`^local (\\w+) = require\\("${esc}"\\)\\n((?:local \\w+ = \\1\\.\\w+\\n)*)`, "m").exec(body);
  if (!m) throw new LazyModuleError(`${pathOf(importer)} requires ${pathOf(lazy)} in a form the bundler does not know`);
  const rest = body.slice(0, m.index) + body.slice(m.index + m[0].length);
  if (new RegExp(`\\b${m[1]}\\b`).test(rest)) throw new LazyModuleError(`${pathOf(importer)} uses ${pathOf(lazy)}, which it imports lazily, other than by calling its functions`);
  const names = [...m[2].matchAll(/^local (\w+) = \w+\.(\w+)$/gm)];
  for (const n of names) {
    if (new RegExp(`\\b${n[1]}\\b(?!\\()`).test(rest)) throw new LazyModuleError(`${pathOf(importer)} uses ${n[1]} of ${pathOf(lazy)}, which it imports lazily, other than in a call: only functions may be imported lazily`);
  }
  // Each stub a closure of one upvalue (____lazy, shared): 24 bytes of heap while it is kept.
  return body.slice(0, m.index) + names.map((n) => `local function ${n[1]}(...) return ____lazy("${lazy}", "${n[2]}", ...) end\n`).join("") + body.slice(m.index + m[0].length);
}

/** Numbers typescript-to-lua's modules and applies LAZY_LUA_IMPORTS (lazy: the table above, for tests). */
export function luaModules(bundle: string, lazy: Record<string, string[]> = LAZY_LUA_IMPORTS): string {
  const mods = modulesOf(bundle);
  const entry = ENTRY.exec(bundle);
  if (!entry) throw new LazyModuleError("typescript-to-lua's bundle has no entry the bundler knows");
  const lazyOf = (m: string) => (lazy[pathOf(m)] ?? []).map((p) => p.replace(/\//g, ".")).filter((l) => mods.get(m)!.requires.has(l));
  const eager = reach([entry[1]], mods, (from, to) => lazyOf(from).includes(to));
  const importers = [...eager].filter((m) => lazyOf(m).length > 0);
  const roots = [...new Set(importers.flatMap(lazyOf))];
  const world = reach(roots, mods, () => false);
  const classes = instanceofClasses();
  const shared = new Set([...world].filter((m) => eager.has(m) && holdsIdentity(sourceOf(m) ?? "", classes)));
  const loaded = [...world].filter((m) => !shared.has(m));
  for (const m of loaded) {
    const line = moduleVariables(sourceOf(m) ?? "");
    if (line >= 0 && !LAZY_SCRATCH_STATE.includes(pathOf(m))) {
      throw new LazyModuleError(`${pathOf(m)}.ts:${line + 1}: NodeMCU loads this module afresh for each lazy call (tools/build/lua-modules.ts), so it may keep no state in module-level variables`);
    }
  }
  for (const r of roots) {
    if (shared.has(r)) throw new LazyModuleError(`${pathOf(r)} is imported lazily, but holds state the boot code shares`);
  }
  // Lazy modules first: 1..K.
  const order = [...loaded, ...[...mods.keys()].filter((m) => !loaded.includes(m))];
  const id = new Map(order.map((m, i) => [m, i + 1]));
  let out = bundle;
  if (loaded.length > 0) {
    if (!TSTL_REQUIRE.test(out)) throw new LazyModuleError("typescript-to-lua's require is not the one the bundler knows");
    for (const m of importers.map((i) => mods.get(i)!).sort((a, b) => b.start - a.start)) {
      let body = out.slice(m.start, m.end);
      for (const l of lazyOf(m.name)) body = stubImports(body, m.name, l);
      out = out.slice(0, m.start) + body + out.slice(m.end);
    }
    // The lazy modules' factories move into ____lazyWorld; boot gets them too, with the others.
    out = out.replace(TSTL_REQUIRE, requireWithLazy(loaded.length));
    const blocks = [...modulesOf(out).values()];
    const text = (m: Module) => out.slice(m.start, m.end).replace(/,?\n?$/, ",\n");
    const world = `____lazyWorld = function()\n    return {\n${blocks.filter((m) => loaded.includes(m.name)).map(text).join("")}}\nend\n`;
    const table = `____modules = {\n${blocks.filter((m) => !loaded.includes(m.name)).map(text).join("")}}\n` +
      "for file, module in pairs(____lazyWorld()) do\n    ____modules[file] = module\nend\n";
    const head = out.slice(0, blocks[0].start).replace(/____modules = \{\n$/, "");
    const tail = out.slice(out.lastIndexOf("\n}\nlocal ____entry") + 3);
    out = (head + world + table + tail).replace(ENTRY, (line) =>
      `${line}\n____booted = true\n____moduleCache = { ${[...shared].map((s) => `["${s}"] = ____moduleCache["${s}"]`).join(", ")} }\n____modules = {}`);
  }
  const number = (whole: string, before: string, name: string, after: string) => (id.has(name) ? `${before}${id.get(name)}${after}` : whole);
  return out
    .replace(/^\["([^"\]]+)"\]( = function\(\.\.\.\))/gm, (whole, name: string, after: string) => number(whole, "[", name, "]" + after))
    .replace(/(require\(|____lazy\(|\[)"([^"]+)"([,)\]])/g, number);
}
