/*
 * Reading a command's fields with every check the protocol promises (docs/mqtt.md): present, of
 * the right type, finite, in range. The first field that fails is remembered, so a handler reads
 * all it needs and then looks once at `bad`: the reply names that field and nothing has changed.
 */
import { isBytes, type CborMap, type CborValue } from "./cbor-value";

export class CommandFields {
  /** The first field that was missing or wrong; "" while all were fine. */
  bad = "";

  constructor(private readonly m: CborMap) {}

  /** Marks a field wrong for a reason of the caller's (an unknown lane, an unknown key). */
  reject(name: string): void {
    if (this.bad === "") {
      this.bad = name;
    }
  }

  has(name: string): boolean {
    return this.m[name] !== undefined;
  }

  /** Text of 1 to maxBytes printable ASCII bytes (ids, names, SKUs). */
  text(name: string, maxBytes: number): string {
    const v: CborValue = this.m[name];
    if (typeof v !== "string" || v.length < 1 || v.length > maxBytes) {
      this.reject(name);
      return "";
    }
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 32 || c > 126) {
        this.reject(name);
        return "";
      }
    }
    return v;
  }

  /** Like text(), but absent or "" is allowed, as "". */
  optionalText(name: string, maxBytes: number): string {
    return this.m[name] === undefined || this.m[name] === "" ? "" : this.text(name, maxBytes);
  }

  /** A byte string of minBytes to maxBytes bytes (keys and MACs: exactly 32; a bundle's piece). */
  bytes(name: string, minBytes: number, maxBytes: number): string {
    const v: CborValue = this.m[name];
    if (!isBytes(v) || v.data.length < minBytes || v.data.length > maxBytes) {
      this.reject(name);
      return "";
    }
    return v.data;
  }

  /** A finite number from lo to hi (NaN and the infinities fail, as a number out of range does). */
  num(name: string, lo: number, hi: number): number {
    const v: CborValue = this.m[name];
    if (typeof v !== "number" || !(v >= lo && v <= hi)) {
      this.reject(name);
      return lo;
    }
    return v;
  }

  /** A whole number from lo to hi. */
  int(name: string, lo: number, hi: number): number {
    const v = this.num(name, lo, hi);
    if (v !== Math.floor(v)) {
      this.reject(name);
      return lo;
    }
    return v;
  }
}
