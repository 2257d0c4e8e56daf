/**
 * Espruino 2v29's built-in objects (jswIsBuiltInObject in the generated jswrapper.c of the
 * Linux build, less its graphics and TensorFlow classes): code that names one puts it in the
 * root scope (jsparse.c, jspGetNamedVariable), as a native function of one variable.
 */
export const BUILTIN_OBJECTS = new Set([
  "Pin", "Array", "ArrayBuffer", "ArrayBufferView", "Uint8Array", "Uint8ClampedArray", "Int8Array", "Uint16Array", "Int16Array",
  "Uint24Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "DataView", "Date", "Error", "SyntaxError", "TypeError",
  "InternalError", "ReferenceError", "Function", "console", "JSON", "Number", "Object", "Boolean", "RegExp", "String", "Modules", "Math",
  "E", "process", "OneWire", "Promise", "Serial", "StorageFile", "SPI", "I2C", "Waveform", "File", "url", "Server", "Socket",
]);

/** Already in the root after an empty program has booted and process.memory() was typed: counted in the interpreter's own figure. */
export const BUILTINS_AT_BOOT = new Set(["Object", "Function", "process"]);

/**
 * The classes whose prototypes Espruino searches for a property a basic value lacks
 * (jswGetBasicObjectName, jswGetBasicObjectPrototypeName), each then put in the root with its
 * prototype (jsparse.c, jspeiFindChildFromStringInParents and jspNewPrototype). Objects and
 * functions search Object's and Function's, which are there from boot.
 */
export function prototypeChain(v: unknown): string[] {
  if (Array.isArray(v)) return ["Array"];
  if (typeof v === "string") return ["String"];
  if (typeof v === "number" || typeof v === "boolean") return ["Number"];
  if (typeof v !== "object" || v === null) return [];
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (tag === "ArrayBuffer") return ["ArrayBuffer"];
  if (ArrayBuffer.isView(v) && tag !== "DataView") return [tag, "ArrayBufferView"];
  return [];
}
