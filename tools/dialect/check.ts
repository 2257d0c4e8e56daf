import { ESLint, type Linter, type Rule } from "eslint";
import { relative, resolve } from "node:path";
import ts from "typescript";
import tseslint from "typescript-eslint";
import { REPO } from "../paths.ts";
import { DIALECT_RULES, dialectRuleOf } from "./rules.ts";

export type DialectTarget = "firmware" | "espruino" | "nodemcu" | "nodemcu-esp32";

export interface DialectProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

export class DialectError extends Error {
  constructor(readonly problems: DialectProblem[]) {
    super(`the firmware dialect is broken in ${problems.length} place${problems.length === 1 ? "" : "s"}:\n` +
      problems.map(formatProblem).join("\n"));
    this.name = "DialectError";
  }
}

export function formatProblem(p: DialectProblem): string {
  return `  ${p.file}:${p.line}:${p.column}  [${p.rule}]  ${p.message}`;
}

const moduleFileRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [] },
  create(context) {
    return {
      Program(node) {
        const isModule = node.body.some((s) => s.type.startsWith("Import") || s.type.startsWith("Export"));
        if (!isModule) context.report({ node, message: "[dialect/module-file] the file has no import or export: add `export {}`" });
      },
    };
  },
};

/** The platform's API declarations, beside the dialect's standard library. */
export function dialectLibs(target: DialectTarget): string[] {
  if (target === "espruino") return [resolve(REPO, "hal/espruino/espruino-api.d.ts")];
  const tmr = resolve(REPO, "hal/nodemcu/nodemcu-tmr.d.ts");
  const crypto = resolve(REPO, "hal/nodemcu/nodemcu-crypto.d.ts");
  if (target === "nodemcu") return [tmr, crypto, resolve(REPO, "hal/nodemcu/nodemcu-api.d.ts")];
  if (target === "nodemcu-esp32") return [tmr, crypto, resolve(REPO, "hal/nodemcu-esp32/nodemcu-esp32-api.d.ts")];
  return [];
}

/*
 * The dialect's standard library replaces TypeScript's. It goes in as `lib` (by absolute path)
 * rather than as a root file under noLib, because typescript-to-lua only translates Array and
 * String methods declared in a program's library files.
 */
export const DIALECT_COMPILER_OPTIONS: ts.CompilerOptions = {
  lib: [resolve(REPO, "firmware/dialect.d.ts")],
  strict: true,
  target: ts.ScriptTarget.ES2015,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: false,
  noEmit: true,
  types: [],
  skipLibCheck: false,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  forceConsistentCasingInFileNames: true,
};

function eslintConfig(program: ts.Program, target: DialectTarget): Linter.Config[] {
  const rules: Linter.RulesRecord = {};
  const selectors: { selector: string; message: string }[] = [];
  const mergedProps: unknown[] = [];
  for (const r of DIALECT_RULES) {
    if (target !== "firmware" && r.notIn?.includes(target)) continue;
    for (const selector of r.selectors ?? []) selectors.push({ selector, message: `[dialect/${r.id}] ${r.why}` });
    for (const [name, entry] of Object.entries(r.eslint ?? {})) {
      if (name === "no-restricted-properties") mergedProps.push(...(entry as unknown[]).slice(1));
      else rules[name] = entry;
    }
  }
  rules["no-restricted-syntax"] = ["error", ...selectors];
  rules["no-restricted-properties"] = ["error", ...mergedProps] as Linter.RuleEntry;
  return [{
    files: ["**/*.ts"],
    ignores: ["**/*.d.ts"],
    languageOptions: { parser: tseslint.parser as Linter.Parser, parserOptions: { programs: [program] } },
    plugins: { "@typescript-eslint": tseslint.plugin as unknown as ESLint.Plugin, aisle: { rules: { "module-file": moduleFileRule } } },
    linterOptions: { reportUnusedDisableDirectives: "off", noInlineConfig: true },
    rules,
  }];
}

/** The rule's own words: ESLint's "'X' is restricted from being used." preamble and the tag go. */
function dialectMessage(message: string): string {
  const tag = /\[dialect\/[a-z-]+\] /.exec(message);
  return tag ? message.slice(tag.index + tag[0].length) : message;
}

function shown(file: string): string {
  return file.startsWith(REPO + "/") ? relative(REPO, file) : file;
}

/**
 * Type-checks the sources reachable from roots against the target's declarations only, then lints
 * them with the dialect rules. Returns every problem, sorted by file and line; an empty list means
 * the sources are in the dialect.
 */
export async function checkDialect(roots: string[], target: DialectTarget): Promise<DialectProblem[]> {
  const program = ts.createProgram([...dialectLibs(target), ...roots], DIALECT_COMPILER_OPTIONS);
  const problems: DialectProblem[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file && d.start !== undefined) {
      const pos = d.file.getLineAndCharacterOfPosition(d.start);
      problems.push({ file: shown(d.file.fileName), line: pos.line + 1, column: pos.character + 1, rule: `ts${d.code}`, message: text });
    } else {
      problems.push({ file: "(config)", line: 0, column: 0, rule: `ts${d.code}`, message: text });
    }
  }
  const sources = program.getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => !f.endsWith(".d.ts") && !f.includes("/node_modules/"));
  const eslint = new ESLint({ cwd: REPO, overrideConfigFile: true, overrideConfig: eslintConfig(program, target), ignore: false });
  for (const result of await eslint.lintFiles(sources)) {
    for (const m of result.messages) {
      problems.push({ file: shown(result.filePath), line: m.line, column: m.column, rule: dialectRuleOf(m.ruleId, m.message), message: dialectMessage(m.message) });
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
