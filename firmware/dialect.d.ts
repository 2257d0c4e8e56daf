/// <reference no-default-lib="true"/>
/*
 * The firmware dialect's whole standard library: what Espruino 2v29 runs AND typescript-to-lua
 * turns into Lua 5.1. firmware/ and the ports compile with `noLib`, so anything not declared
 * here (Map, Set, Symbol, JSON, Date, console, RegExp literals, Number.isInteger, Math.trunc…)
 * is a type error before ESLint even looks. Add a member only after checking it on both
 * targets (test/dialect/allowed.test.ts runs the allowed-features fixture on each).
 */

interface Object {
  hasOwnProperty(key: string): boolean;
}
/* No Object.keys: Lua walks a table's keys in no fixed order, so runners would disagree. */

interface Function {}
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface IArguments {}
interface RegExp {}
interface Boolean {}

interface Number {
  toString(): string;
}
interface NumberConstructor {
  (value: unknown): number;
  readonly MAX_SAFE_INTEGER: number;
}
declare var Number: NumberConstructor;
declare var NaN: number;
declare var Infinity: number;
declare function isNaN(n: number): boolean;
declare function isFinite(n: number): boolean;
declare function parseInt(s: string, radix?: number): number;
declare function parseFloat(s: string): number;

interface String {
  readonly length: number;
  charAt(i: number): string;
  charCodeAt(i: number): number;
  indexOf(search: string, from?: number): number;
  slice(start: number, end?: number): string;
  substring(start: number, end?: number): string;
  split(separator: string): string[];
  toUpperCase(): string;
  toLowerCase(): string;
  trim(): string;
  readonly [index: number]: string;
}
interface StringConstructor {
  (value: unknown): string;
  fromCharCode(...codes: number[]): string;
}
declare var String: StringConstructor;

interface ReadonlyArray<T> {
  readonly length: number;
  indexOf(item: T): number;
  slice(start?: number, end?: number): T[];
  join(separator?: string): string;
  readonly [n: number]: T;
}
interface Array<T> {
  length: number;
  push(item: T): number;
  pop(): T | undefined;
  shift(): T | undefined;
  unshift(item: T): number;
  indexOf(item: T): number;
  slice(start?: number, end?: number): T[];
  splice(start: number, deleteCount?: number): T[];
  join(separator?: string): string;
  concat(other: T[]): T[];
  reverse(): T[];
  sort(compare: (a: T, b: T) => number): this;
  map<U>(fn: (value: T, index: number) => U): U[];
  filter(fn: (value: T, index: number) => boolean): T[];
  forEach(fn: (value: T, index: number) => void): void;
  some(fn: (value: T, index: number) => boolean): boolean;
  every(fn: (value: T, index: number) => boolean): boolean;
  reduce<U>(fn: (acc: U, value: T, index: number) => U, initial: U): U;
  [n: number]: T;
}
interface ArrayConstructor {
  isArray(value: unknown): value is unknown[];
}
declare var Array: ArrayConstructor;

interface Math {
  readonly PI: number;
  abs(x: number): number;
  floor(x: number): number;
  ceil(x: number): number;
  round(x: number): number;
  min(a: number, b: number): number;
  max(a: number, b: number): number;
  sqrt(x: number): number;
  pow(x: number, y: number): number;
  exp(x: number): number;
  log(x: number): number;
  sin(x: number): number;
  cos(x: number): number;
  atan2(y: number, x: number): number;
}
declare var Math: Math;

interface Error {
  message: string;
}
interface ErrorConstructor {
  new (message?: string): Error;
}
declare var Error: ErrorConstructor;

type PropertyKey = string | number;
type Partial<T> = { [P in keyof T]?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Record<K extends PropertyKey, T> = { [P in K]: T };
interface TemplateStringsArray extends ReadonlyArray<string> {}
