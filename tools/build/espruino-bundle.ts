import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { REPO } from "../paths.ts";
import type { AppName } from "./entry.ts";

/** Modules Espruino 2v29 builds in on ESP32/ESP8266, which EspruinoTools must not try to fetch. */
export const ESPRUINO_BUILTIN_MODULES = ["Storage", "net", "crypto", "Wifi", "http", "tls", "ESP8266", "ESP32", "Flash", "heatshrink"];

/** Every name the dialect's library and the Espruino API declare: property mangling must leave these alone. */
function declaredNames(): RegExp {
  const names = new Set<string>();
  for (const file of ["firmware/dialect.d.ts", "hal/espruino/espruino-api.d.ts"]) {
    const source = ts.createSourceFile(file, readFileSync(join(REPO, file), "utf8"), ts.ScriptTarget.ES2015, true);
    const visit = (node: ts.Node): void => {
      const name = (node as { name?: ts.Node }).name;
      if (name !== undefined && ts.isIdentifier(name)) names.add(name.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return new RegExp(`^(${[...names].sort().join("|")})$`);
}

/**
 * One ES2015 script holding everything the entry reaches. esbuild bundles, and minifies when
 * asked: whitespace, syntax, local names, and property names other than those the dialect's
 * library and the Espruino API declare. Target ES2015 keeps classes as classes, since
 * TypeScript's ES5 output breaks `extends` on Espruino.
 *
 * The minified bundle is top-level code, not wrapped in a function: Espruino keeps each
 * function's source text as a string of its own, so a wrapper would hold a second copy of the
 * whole bundle in RAM (and a third while the file is being evaluated). Top-level names are
 * esbuild's short ones; it never picks a global the bundle itself uses.
 */
export async function esbuildBundle(entry: string, minify: boolean): Promise<string> {
  const common = {
    bundle: true,
    write: false,
    // CommonJS leaves require("Storage") as a plain call, where iife would route it through a
    // Proxy-based shim that Espruino cannot run.
    format: "cjs",
    target: "es2015",
    platform: "node",
    external: ESPRUINO_BUILTIN_MODULES,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  } as const;
  /*
   * Minified in two passes. esbuild puts a const enum's numbers into the code (the firmware names
   * array slots with them) only while it does not mangle property names: with mangleProps it
   * keeps the enum as an object and mangles its members apart from their uses. So the first pass
   * bundles and folds (enums inlined, and as before the constants of a module that imports
   * nothing), leaving the syntax as it is; the second lowers it to ES2015, with helpers it knows
   * not to mangle, and mangles.
   */
  const result = await build({ ...common, entryPoints: [entry], tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } }, ...(minify ? { minifySyntax: true, target: "esnext" } : {}) });
  const code = result.outputFiles[0].text;
  if (!minify) return `(() => {\n${code}})();\n`;
  const min = await build({ ...common, stdin: { contents: code, loader: "js", resolveDir: REPO }, minify: true, mangleProps: /./, reserveProps: declaredNames() });
  return min.outputFiles[0].text.trim() + "\n";
}

interface EspruinoToolsGlobal {
  Config: Record<string, unknown>;
  Plugins: { Pretokenise: { tokenise(code: string): string } };
  Core: { Env: { getData(): Record<string, unknown> } };
  callProcessor(name: string, data: string, cb: (out: string) => void): void;
}

let tools: Promise<EspruinoToolsGlobal> | undefined;

/** EspruinoTools, started once per process, offline, as a code transformer with no device attached. */
function espruinoTools(): Promise<EspruinoToolsGlobal> {
  tools ??= new Promise((resolve) => {
    const require = createRequire(import.meta.url);
    const esp = require("espruino") as { init(cb: () => void): void };
    const quiet = console.log;
    console.log = () => {};
    esp.init(() => {
      console.log = quiet;
      const E = (globalThis as unknown as { Espruino: EspruinoToolsGlobal }).Espruino;
      // esbuild has minified already: EspruinoTools' own offline minifier (esprima + esmangle)
      // gives two ES2015 classes the same name, and its Closure option needs the network.
      E.Config.MINIFICATION_LEVEL = "";
      E.Config.MODULE_MINIFICATION_LEVEL = "";
      E.Config.SET_TIME_ON_WRITE = false;
      E.Config.PRETOKENISE = 0;
      const env = E.Core.Env.getData();
      env.VERSION = "2v29";
      env.MODULES = ESPRUINO_BUILTIN_MODULES.join(",");
      resolve(E);
    });
  });
  return tools;
}

/** EspruinoTools' upload transform: resolves require() against the built-in modules and shapes the code for the device. */
export async function espruinoToolsTransform(code: string): Promise<string> {
  const E = await espruinoTools();
  const log = console.log;
  console.log = () => {};
  try {
    return await new Promise((resolve) => E.callProcessor("transformForEspruino", code, resolve));
  } finally {
    console.log = log;
  }
}

/**
 * Each chunk's packed text is a string literal while its write runs, beside its decompressed
 * bytes: at most this many characters keeps an install within 1,700 JsVars (measured on the
 * 32-bit Linux build of Espruino 2v29, 12-byte JsVars), with the installer's own text in RAM too.
 */
const MAX_PACKED_CHARS = 2000;

/** Where Espruino keeps the code it runs at every boot, straight from flash. */
export const BOOT_CODE = ".bootcde";

/** heatshrink, as EspruinoTools ships it: the same compression Espruino decompresses natively. */
function heatshrink(): { compress(data: Uint8Array): Uint8Array } {
  return createRequire(import.meta.url)("espruino/libs/heatshrink.js");
}

/**
 * The flashed file installs the app rather than being it, as EspruinoTools' save-on-send to
 * flash does: it writes the app into Storage as .bootcde, chunk by chunk, then calls load(),
 * which resets the interpreter and runs .bootcde from flash. Espruino copies into RAM the source
 * of every function parsed from uploaded text, but runs functions parsed from flash in place: at
 * 1,700 JsVars the shelf app only fits that way.
 *
 * Each chunk travels heatshrink-compressed (Espruino's built-in module undoes it) and is
 * stored plain: Storage.write takes the decompressed ArrayBuffer as it is, with no string copy. The installer is top-level statements, not a function (whose own source would
 * be copied). It rewrites the app only when the version marker differs, so flash is not worn at
 * every boot and a power cut mid-write is repaired next time. boot0, given for an app on MQTT, is
 * written as .boot0: the boot loader of bundle updates, which runs before .bootcde.
 */
export function flashInstaller(app: AppName, code: string, boot0?: string): string {
  const version = `${app}-${createHash("sha256").update(code).update(boot0 ?? "").digest("hex").slice(0, 12)}`;
  const hs = heatshrink();
  const pack = (part: string) => Buffer.from(hs.compress(new Uint8Array(Buffer.from(part, "latin1")))).toString("base64");
  // As few chunks as fit: each compresses on its own, so fewer chunks make a smaller installer.
  let chunks: string[] = [];
  for (let n = 1; chunks.length === 0 || chunks.some((c) => c.length > MAX_PACKED_CHARS); n++) {
    const size = Math.ceil(code.length / n);
    chunks = [];
    for (let at = 0; at < code.length; at += size) chunks.push(pack(code.slice(at, at + size)));
  }
  const size = Math.ceil(code.length / chunks.length);
  const lines = [`var S$=require("Storage"),H$=require("heatshrink");if(S$.read("aisle.v")!=="${version}"){S$.erase("aisle.v");`];
  // An app on MQTT: the boot loader of bundle updates (tools/build/ota-loaders.ts), and no trial left over from before.
  if (boot0 !== undefined) lines.push(`S$.write(".boot0",${JSON.stringify(boot0)});S$.erase("ota.t");`);
  chunks.forEach((packed, i) => {
    const at = i * size;
    lines.push(`S$.write("${BOOT_CODE}",H$.decompress(atob("${packed}")),${at}${at === 0 ? `,${code.length}` : ""});`);
  });
  lines.push(`S$.write("aisle.v","${version}")}`, "load();");
  return lines.join("\n") + "\n";
}

/**
 * The minified app, shaped by EspruinoTools and pretokenised, as it is stored in flash (tests
 * and fixtures load it directly). Pretokenised code has each operator and reserved word as one
 * byte, and strings and integers in raw form: a sixth smaller, and Espruino need not lex those
 * at run time. It can only be stored, not typed at the REPL: the installer carries it.
 */
export async function espruinoApp(entry: string): Promise<string> {
  const shaped = (await espruinoToolsTransform(await esbuildBundle(entry, true))).trim();
  const E = await espruinoTools();
  E.Config.PRETOKENISE = 2;
  try {
    return E.Plugins.Pretokenise.tokenise(shaped) + "\n";
  } finally {
    E.Config.PRETOKENISE = 0;
  }
}

/** What `aisle build` writes for an Espruino board: the installer, and the size of the app it stores. */
export async function espruinoBundle(entry: string, app: AppName, boot0?: string): Promise<{ installer: string; appBytes: number }> {
  const code = (await espruinoApp(entry)).trim();
  return { installer: flashInstaller(app, code, boot0), appBytes: code.length };
}
