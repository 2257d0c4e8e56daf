/*
 * A streaming CBOR (RFC 8949) encoder: the caller writes items in order, so map keys come out in
 * the same order on every target (a Lua table has none). Lengths are definite and heads the
 * shortest; chunks are joined once at the end (table.concat in Lua). Text is taken as the UTF-8
 * bytes it already is: a firmware string is a byte string. (No byte above 0x7f in a string
 * literal: typescript-to-lua writes such a character as UTF-8, two bytes.)
 */
import { bigEndian, floatItem } from "./cbor-float";

/** 2^53: integers within ±this (less its top) go out as integers, exactly; cborDecode reads them back. */
const SAFE = 9007199254740992;

export class CborWriter {
  private c: string[] = [];

  private head(major: number, v: number): this {
    let ai = v;
    let n = 0;
    if (v > 23) {
      ai = 24;
      n = 1;
      while (v >= Math.pow(2, 8 * n)) {
        ai++;
        n = n * 2;
      }
    }
    this.c.push(String.fromCharCode(major * 32 + ai) + bigEndian(v, n));
    return this;
  }

  /** A whole n from -2^53 to 2^53 - 1, as an integer item. */
  int(n: number): this {
    return n < 0 ? this.head(1, -1 - n) : this.head(0, n);
  }

  /**
   * An integer item when x is whole and from -2^53 to 2^53 - 1 (not -0), else a float item: the
   * shortest of half, single and double that holds x exactly.
   */
  num(x: number): this {
    if (x === Math.floor(x) && x >= -SAFE && x < SAFE && (x !== 0 || 1 / x > 0)) {
      return this.int(x);
    }
    this.c.push(floatItem(x));
    return this;
  }

  /** A text string from its UTF-8 bytes (not checked). */
  text(s: string): this {
    this.head(3, s.length).c.push(s);
    return this;
  }

  /** A byte string. */
  bytes(s: string): this {
    this.head(2, s.length).c.push(s);
    return this;
  }

  bool(b: boolean): this {
    this.c.push(String.fromCharCode(b ? 0xf5 : 0xf4));
    return this;
  }

  nul(): this {
    this.c.push(String.fromCharCode(0xf6));
    return this;
  }

  /** The head of an array of n items: the n items follow. */
  array(n: number): this {
    return this.head(4, n);
  }

  /** The head of a map of n pairs: n times a key (text()) and its value follow. */
  map(n: number): this {
    return this.head(5, n);
  }

  /** Everything written, as a byte string. */
  done(): string {
    return this.c.join("");
  }
}
