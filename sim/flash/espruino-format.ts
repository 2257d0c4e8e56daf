/*
 * How Espruino's REPL shows a result after `=` (jsfPrintJSON with JSON_PRETTY and
 * JSON_DROP_QUOTES, Espruino 2v29): strings quoted, object keys bare when they are identifiers,
 * spaces inside brackets, typed arrays as their constructor, functions as their source.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_DEPTH = 4;

export function formatResult(v: unknown, depth = 0): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "function") return String(v).replace(/^function\s*\(/, "function (");
  if (typeof v !== "object") return String(v);
  if (depth >= MAX_DEPTH) return "...";
  if (ArrayBuffer.isView(v)) {
    const items = Array.from(v as unknown as ArrayLike<number>);
    return `new ${v.constructor.name}([${items.join(", ")}])`;
  }
  if (Object.prototype.toString.call(v) === "[object ArrayBuffer]") return `new Uint8Array([${Array.from(new Uint8Array(v as ArrayBuffer)).join(", ")}]).buffer`;
  if (Array.isArray(v)) return v.length === 0 ? "[ ]" : `[ ${v.map((x) => formatResult(x, depth + 1)).join(", ")} ]`;
  const keys = Object.keys(v as object);
  if (keys.length === 0) return "{ }";
  const fields = keys.map((k) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${formatResult((v as Record<string, unknown>)[k], depth + 1)}`);
  return `{ ${fields.join(", ")} }`;
}
