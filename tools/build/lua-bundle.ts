import { createRequire } from "node:module";
import { dirname } from "node:path";
import ts from "typescript";
import * as tstl from "typescript-to-lua";
import { DIALECT_COMPILER_OPTIONS, dialectLibs, type DialectTarget } from "../dialect/check.ts";
import { REPO } from "../paths.ts";
import { inlineLuaConstants } from "./lua-constants.ts";
import { LAZY_LUA_IMPORTS, luaModules } from "./lua-modules.ts";

export class CompileError extends Error {
  constructor(readonly diagnostics: string[]) {
    super(`typescript-to-lua failed:\n  ${diagnostics.join("\n  ")}`);
    this.name = "CompileError";
  }
}

/** One Lua file holding every module the entry reaches, with only the lualib functions it uses; api names the port whose platform declarations it compiles against; lazy, the imports loaded at each call (tools/build/lua-modules.ts). */
export function luaBundle(entry: string, luaTarget: "5.1" | "5.3", bundleName: string, api: DialectTarget = "nodemcu", lazy: Record<string, string[]> = LAZY_LUA_IMPORTS): string {
  let bundle: string | undefined;
  const options: tstl.CompilerOptions = {
    ...DIALECT_COMPILER_OPTIONS,
    noEmit: false,
    rootDir: REPO,
    outDir: dirname(entry),
    luaTarget: luaTarget === "5.1" ? tstl.LuaTarget.Lua51 : tstl.LuaTarget.Lua53,
    luaLibImport: tstl.LuaLibImportKind.RequireMinimal,
    luaBundle: bundleName,
    luaBundleEntry: entry,
    noHeader: true,
    sourceMapTraceback: false,
  };
  const result = tstl.transpileFiles([...dialectLibs(api), entry], options, (fileName, text) => {
    if (fileName.endsWith(".lua")) bundle = text;
  });
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new CompileError(errors.map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
      if (!d.file || d.start === undefined) return text;
      const pos = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName}:${pos.line + 1}:${pos.character + 1}: ${text}`;
    }));
  }
  if (bundle === undefined) throw new CompileError(["typescript-to-lua wrote no bundle"]);
  // typescript-to-lua names each class (X.name = "X"), which nothing on a device reads: a slot of Lua heap in every class table.
  return minifyLua(luaModules(bundle.replace(/^(\w+)\.name = "\1"\n/gm, ""), lazy));
}

/**
 * luamin strips whitespace and comments and shortens local names: typescript-to-lua's output
 * halves, which is flash the ESP8266 does not have to spare and source its compiler need not hold.
 * Constants go into the code that reads them first (lua-constants.ts).
 */
function minifyLua(source: string): string {
  const require = createRequire(import.meta.url);
  const luamin = require("luamin") as { minify(src: unknown): string };
  // luamin parses with these options (it sets them as luaparse's defaults); its own luaparse, so the AST is the one it knows.
  const luaparse = createRequire(require.resolve("luamin"))("luaparse") as { parse(src: string, opts: object): unknown };
  const ast = luaparse.parse(source, { scope: true, comments: false });
  inlineLuaConstants(ast);
  return luamin.minify(ast) + "\n";
}
