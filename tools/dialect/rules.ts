/*
 * The firmware dialect as lint rules: one entry per construct in design.md's list that either
 * Espruino 2v29 or typescript-to-lua's Lua 5.1 lacks. Each has a fixture in test/dialect/fixtures
 * named after its id that proves it fires. Messages start with "[dialect/ID]" so that the build,
 * the fixtures and a person can all tell which rule spoke.
 */
import type { Linter } from "eslint";

export interface DialectRule {
  id: string;
  why: string;
  /** no-restricted-syntax selectors, or a plain ESLint rule entry. */
  selectors?: string[];
  eslint?: Linter.RulesRecord;
  /** Ports compiled for one target only may use what that target has. */
  notIn?: ("espruino" | "nodemcu" | "nodemcu-esp32")[];
}

const RESTRICTED_GLOBALS = ["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Promise", "Proxy", "Reflect", "JSON", "Date", "RegExp", "BigInt", "console"];

export const DIALECT_RULES: DialectRule[] = [
  { id: "destructuring", why: "Espruino has no destructuring", selectors: ["ObjectPattern", "ArrayPattern"] },
  { id: "spread-rest", why: "Espruino has no spread or rest", selectors: ["SpreadElement", "RestElement"] },
  { id: "default-params", why: "Espruino has no default parameters", selectors: ["AssignmentPattern"] },
  { id: "exponent", why: "Espruino has no ** operator; use Math.pow", selectors: ["BinaryExpression[operator='**']", "AssignmentExpression[operator='**=']"] },
  { id: "optional-chaining", why: "Espruino has no ?.", selectors: ["ChainExpression"] },
  { id: "nullish", why: "?? and ??= are not in the dialect; compare with undefined", selectors: ["LogicalExpression[operator='??']", "AssignmentExpression[operator='??=']"] },
  { id: "labels", why: "Espruino has no labelled break/continue", selectors: ["LabeledStatement"] },
  { id: "generators", why: "Espruino has no generators", selectors: ["FunctionDeclaration[generator=true]", "FunctionExpression[generator=true]", "YieldExpression"] },
  { id: "async", why: "Espruino has no async/await", selectors: ["FunctionDeclaration[async=true]", "FunctionExpression[async=true]", "ArrowFunctionExpression[async=true]", "AwaitExpression"] },
  { id: "error-subclass", why: "Espruino cannot extend Error", selectors: ["ClassDeclaration[superClass.name='Error']", "ClassExpression[superClass.name='Error']"] },
  { id: "modulo", why: "% differs on negatives between JS and Lua; use mod() from firmware/core/math", selectors: ["BinaryExpression[operator='%']", "AssignmentExpression[operator='%=']"] },
  { id: "null", why: "Lua has one nil for null and undefined; use undefined", selectors: ["Literal[raw='null']"] },
  { id: "regexp", why: "Lua has no regular expressions", selectors: ["Literal[regex]"] },
  { id: "new-array", why: "new Array(n) makes holes, which break length in Lua", selectors: ["NewExpression[callee.name='Array']"] },
  { id: "private-fields", why: "Espruino has no #private fields; use TypeScript's private", selectors: ["PrivateIdentifier"] },
  { id: "tagged-templates", why: "tagged templates are not in the dialect", selectors: ["TaggedTemplateExpression"] },
  { id: "arguments", why: "arguments is not in the dialect", selectors: ["Identifier[name='arguments']"] },
  { id: "getters-setters", why: "accessors are not in the dialect; use methods", selectors: ["MethodDefinition[kind='get']", "MethodDefinition[kind='set']", "Property[kind='get']", "Property[kind='set']"] },
  { id: "array-length", why: "Espruino refuses to assign an array's length: use splice", selectors: ["AssignmentExpression[left.type='MemberExpression'][left.property.name='length']"] },
  {
    id: "round",
    why: "Espruino rounds halves away from zero (Math.round(-2.5) is -3, -2 elsewhere): use round() from firmware/core/math",
    eslint: { "no-restricted-properties": ["error", { object: "Math", property: "round", message: "[dialect/round] Espruino rounds halves away from zero (Math.round(-2.5) is -3, -2 elsewhere): use round() from firmware/core/math" }] },
  },
  { id: "for-in", why: "Lua walks a table's keys in no fixed order, so runners would disagree; keep arrays", selectors: ["ForInStatement"] },
  { id: "bigint", why: "neither target has BigInt", selectors: ["Literal[bigint]"] },
  {
    id: "collections",
    why: "Espruino has no Map, Set, WeakMap or Symbol, and neither target has the other globals named",
    eslint: { "no-restricted-globals": ["error", ...RESTRICTED_GLOBALS.map((name) => ({ name, message: `[dialect/collections] ${name} is not in the firmware dialect` }))] },
  },
  {
    id: "number-statics",
    why: "Espruino lacks Number.isInteger, Number.isNaN and Number.EPSILON",
    eslint: { "no-restricted-properties": ["error", ...["isInteger", "isNaN", "EPSILON", "isSafeInteger", "isFinite", "parseFloat", "parseInt"].map((property) => ({ object: "Number", property, message: `[dialect/number-statics] Number.${property} is not in the dialect` }))] },
  },
  {
    id: "math",
    why: "Espruino lacks Math.fround, trunc, log2, log10, hypot and imul",
    eslint: { "no-restricted-properties": ["error", ...["fround", "trunc", "log2", "log10", "hypot", "imul", "sign", "cbrt", "clz32", "expm1", "log1p"].map((property) => ({ object: "Math", property, message: `[dialect/math] Math.${property} is not in the dialect` }))] },
  },
  {
    id: "object-freeze",
    why: "Espruino lacks Object.freeze",
    eslint: { "no-restricted-properties": ["error", ...["freeze", "seal", "assign", "entries", "values", "defineProperty"].map((property) => ({ object: "Object", property, message: `[dialect/object-freeze] Object.${property} is not in the dialect` }))] },
  },
  { id: "hoisting", why: "Espruino does not hoist function declarations: define before use", eslint: { "no-use-before-define": ["error", { functions: true, classes: true, variables: true }] } },
  {
    id: "loop-closure",
    why: "on Espruino, closures made in a loop all see the loop's last values: make them in a function the loop calls",
    selectors: ["ForStatement", "WhileStatement", "DoWhileStatement"].flatMap((loop) => [`${loop} FunctionExpression`, `${loop} ArrowFunctionExpression`, `${loop} FunctionDeclaration`]),
  },
  { id: "for-of", why: "for…of needs Symbol.iterator, which the dialect lacks: use an index loop", selectors: ["ForOfStatement"] },
  { id: "bitwise", why: "Lua 5.1 has no bitwise operators; use arithmetic or a HAL call", eslint: { "no-bitwise": "error" }, notIn: ["espruino"] },
  { id: "truthiness", why: "0 and \"\" are true in Lua: compare explicitly", eslint: { "@typescript-eslint/strict-boolean-expressions": ["error", { allowString: false, allowNumber: false, allowNullableObject: true, allowNullableBoolean: false, allowNullableString: false, allowNullableNumber: false, allowAny: false }] } },
  { id: "loose-equality", why: "== coerces in JS and not in Lua: use === and !==", eslint: { eqeqeq: ["error", "always"] } },
  { id: "var", why: "var hoists differently on the targets: use let and const", eslint: { "no-var": "error" } },
  { id: "module-file", why: "a file without import or export makes typescript-to-lua emit globals, about 3x slower", eslint: { "aisle/module-file": "error" } },
];

/** Which dialect rule an ESLint message belongs to. */
export function dialectRuleOf(ruleId: string | null, message: string): string {
  const tagged = /\[dialect\/([a-z-]+)\]/.exec(message);
  if (tagged) return tagged[1];
  const rule = DIALECT_RULES.find((r) => r.eslint && ruleId !== null && Object.keys(r.eslint).includes(ruleId));
  return rule ? rule.id : ruleId ?? "syntax";
}
