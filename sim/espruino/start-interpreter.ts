import vm from "node:vm";
import type { JsVarMeter } from "./jsvar-meter.ts";

/** The language's globals that an Espruino bundle may use, handed to it as a function's parameters in vm mode. */
const BUILTINS = ["Math", "Array", "Object", "String", "Number", "Boolean", "JSON", "Error", "TypeError", "RangeError", "Date", "isNaN", "isFinite", "parseInt", "parseFloat", "Infinity", "NaN", "undefined", "ArrayBuffer", "DataView", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Function"];

export interface Interpreter {
  /** The vm context code typed at the console runs in (context mode only). */
  context: vm.Context | undefined;
  /** The root scope a typed line sees, where it differs from the globals' `global`. */
  repl: object | undefined;
  /** Runs the code; it throws what the code throws. */
  run(): void;
}

/**
 * A fresh interpreter for one piece of stored code, in the board's mode (EspruinoBoardOptions.mode),
 * made before it runs, so that the console still has it when the code throws.
 */
export function startInterpreter(code: string, filename: string, mode: "vm" | "direct" | "context", globals: Record<string, unknown>, jsvars: JsVarMeter | undefined): Interpreter {
  if (mode === "context") {
    // Espruino's `global` is the root scope itself.
    globals.global = globals;
    const context = vm.createContext(globals);
    return { context, repl: globals, run: () => vm.runInContext(code, context, { filename }) };
  }
  if (mode === "vm" && jsvars !== undefined) {
    // Counting JsVars walks the context's globals, so the code runs at its top level.
    const prepared = jsvars.prepare(code, filename, globals);
    // Espruino's `global` is the root scope itself: what code puts there is a root name, counted as one.
    Object.defineProperty(prepared.globals, "global", { get: () => prepared.globals, configurable: true });
    return { context: undefined, repl: prepared.globals, run: () => vm.runInContext(prepared.code, vm.createContext(prepared.globals), { filename }) };
  }
  if (mode === "vm") {
    // In its own context, as a function of the Espruino globals and the language's own (Math,
    // Int32Array, ...): V8 reaches a contextified global's properties through interceptors,
    // several times slower than a function's own variables, and the bundle reads these on every sample.
    const all: Record<string, unknown> = { ...Object.fromEntries(BUILTINS.map((n) => [n, (globalThis as Record<string, unknown>)[n]])), ...globals };
    const names = Object.keys(all);
    return { context: undefined, repl: undefined, run: () => vm.compileFunction(code, names, { parsingContext: vm.createContext({}), filename })(...names.map((n) => all[n])) };
  }
  const names = Object.keys(globals);
  return { context: undefined, repl: undefined, run: () => new Function(...names, code)(...names.map((n) => globals[n])) };
}
