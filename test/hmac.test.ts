import { createHash, createHmac } from "node:crypto";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../hal/espruino/sha256.ts";
import { EspruinoBoard } from "../sim/espruino/espruino-board.ts";
import { espruinoCrypto, type EspruinoCryptoBuild } from "../sim/espruino/espruino-crypto.ts";
import { runLuaBoard } from "../sim/nodemcu/lua-board.ts";
import { espruinoApp } from "../tools/build/espruino-bundle.ts";
import { luaBundle } from "../tools/build/lua-bundle.ts";

/*
 * HMAC-SHA256 on every port, against node:crypto: the Espruino port on the virtual board with
 * the crypto module's SHA256 and without it (the portable fallback), and the NodeMCU port on the
 * virtual boards under real lua5.1, lua5.3 and luajit (whose crypto module is sim/nodemcu/crypto.lua).
 * The probe (test/ports/probe-hmac.ts) reads the vectors from the store and logs each MAC.
 */

interface Vector {
  key: Buffer;
  message: Buffer;
  /** RFC 4231's figure, in hex: all 32 bytes, or the first 16 where the RFC truncates (test case 5). */
  rfc?: string;
}

const fill = (n: number, byte: number) => Buffer.alloc(n, byte);
const ascii = (s: string) => Buffer.from(s, "latin1");

/* RFC 4231 §4.2–4.8. */
const RFC_4231: Vector[] = [
  { key: fill(20, 0x0b), message: ascii("Hi There"), rfc: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
  { key: ascii("Jefe"), message: ascii("what do ya want for nothing?"), rfc: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
  { key: fill(20, 0xaa), message: fill(50, 0xdd), rfc: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
  { key: Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)), message: fill(50, 0xcd), rfc: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
  { key: fill(20, 0x0c), message: ascii("Test With Truncation"), rfc: "a3b6167473100ee06e0c796c2955552b" },
  { key: fill(131, 0xaa), message: ascii("Test Using Larger Than Block-Size Key - Hash Key First"), rfc: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
  {
    key: fill(131, 0xaa),
    message: ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
    rfc: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  },
];

/** Reproducible random bytes: SHA-256 in counter mode over a label. */
function randomBytes(n: number, label: string): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i * 32 < n; i++) parts.push(createHash("sha256").update(`${label}/${i}`).digest());
  return Buffer.concat(parts).subarray(0, n);
}

/* Message lengths around SHA-256's padding edges (55 bytes is the most one block holds), keys around the 64-byte block. */
const MESSAGE_BYTES = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 300];
const KEY_BYTES = [0, 1, 32, 63, 64, 65, 131];
const RANDOM: Vector[] = MESSAGE_BYTES.flatMap((m) => KEY_BYTES.map((k) => ({ key: randomBytes(k, `key ${k} ${m}`), message: randomBytes(m, `message ${k} ${m}`) })));

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const EVERY_BYTE_VALUE: Vector[] = [
  { key: ALL_BYTES, message: Buffer.concat([ALL_BYTES, Buffer.from(ALL_BYTES).reverse()]) },
  { key: ALL_BYTES.subarray(0, 64), message: ALL_BYTES.subarray(128) },
  { key: ALL_BYTES.subarray(192), message: ALL_BYTES },
];

const VECTORS = [...RFC_4231, ...RANDOM, ...EVERY_BYTE_VALUE];

/** The probe's store file: per vector, the key's and message's lengths (2 bytes each, big-endian), the key, the message. */
function probeInput(vectors: Vector[]): Buffer {
  return Buffer.concat(vectors.flatMap((v) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(v.key.length, 0);
    head.writeUInt16BE(v.message.length, 2);
    return [head, v.key, v.message];
  }));
}

/** The lines the probe must log: every MAC as node:crypto computes it. */
const EXPECTED = [...VECTORS.map((v, i) => `I mac ${i} 32 ${createHmac("sha256", v.key).update(v.message).digest("hex")}`), `I macs ${VECTORS.length}`];

let espruinoCode: Promise<string> | undefined;

async function onEspruino(crypto: EspruinoCryptoBuild): Promise<string[]> {
  espruinoCode ??= espruinoApp(resolve("test/ports/probe-hmac-espruino.ts"));
  const lines: string[] = [];
  const storage = new Map([["hmac.in", probeInput(VECTORS).toString("latin1")]]);
  const board = new EspruinoBoard({ code: await espruinoCode, filename: "probe-hmac.js", mode: "vm", storage, onLine: (l) => lines.push(l), crypto });
  board.boot();
  board.runUntil(1000);
  expect(board.errors).toEqual([]);
  return lines;
}

async function onNodeMcu(interpreter: "lua5.1" | "lua5.3" | "luajit", esp32: boolean): Promise<string[]> {
  const entry = resolve(esp32 ? "test/ports/probe-hmac-nodemcu-esp32.ts" : "test/ports/probe-hmac-nodemcu.ts");
  const lua = luaBundle(entry, interpreter === "lua5.3" ? "5.3" : "5.1", "probe.lua", esp32 ? "nodemcu-esp32" : "nodemcu");
  const out = await runLuaBoard(interpreter, [
    esp32 ? "M esp32 180000" : "M esp8266 44000",
    `F probe.lua ${Buffer.from(lua).toString("hex")}`,
    `F hmac.in ${probeInput(VECTORS).toString("hex")}`,
    "B probe.lua probe.lua",
    "E 1000",
  ]);
  expect(out.panic).toBeUndefined();
  expect(out.exitCode).toBe(0);
  return out.lines;
}

describe("the reference", () => {
  it("node:crypto gives RFC 4231's figures", () => {
    for (const v of RFC_4231) expect(createHmac("sha256", v.key).update(v.message).digest("hex").slice(0, v.rfc!.length)).toBe(v.rfc);
  });
});

describe("HMAC-SHA256 on Espruino", () => {
  let native: string[];

  beforeAll(async () => {
    native = await onEspruino("sha256");
  });

  it("uses the crypto module's SHA256 where the firmware has it (ESP32)", () => {
    expect(native[0]).toBe("I sha256 native");
  });

  it("gives node:crypto's MAC for RFC 4231's cases and random keys and messages of every edge length", () => {
    expect(native.slice(1)).toEqual(EXPECTED);
  });

  it("falls back to portable SHA-256 where crypto has no SHA256 (ESP8266 4 MB), with the same MACs", async () => {
    expect(await onEspruino("no-sha256")).toEqual(["I sha256 portable", ...EXPECTED]);
  });

  it("falls back to portable SHA-256 where there is no crypto module (ESP8266 512 KB), with the same MACs", async () => {
    expect(await onEspruino("none")).toEqual(["I sha256 portable", ...EXPECTED]);
  });

  it("the portable SHA-256 matches node:crypto at every length up to five blocks, and on 100 KB", () => {
    for (let n = 0; n <= 320; n++) {
      const data = randomBytes(n, `sha ${n}`);
      expect(Buffer.from(sha256(data.toString("latin1")), "latin1").toString("hex"), `${n} bytes`).toBe(createHash("sha256").update(data).digest("hex"));
    }
    const big = randomBytes(100000, "big");
    expect(Buffer.from(sha256(big.toString("latin1")), "latin1").toString("hex")).toBe(createHash("sha256").update(big).digest("hex"));
  });

  it("the virtual crypto module refuses a message that is not bytes, as no Espruino string can hold one", () => {
    const sha = espruinoCrypto("sha256")!.SHA256 as (m: unknown) => ArrayBuffer;
    expect(() => sha("\u0100")).toThrow(/character 0 of the message is not a byte \(256\)/);
    expect(() => sha(undefined)).toThrow(/must be a byte string or an ArrayBuffer, not undefined/);
  });
});

describe("HMAC-SHA256 on NodeMCU (crypto.new_hmac)", () => {
  for (const interpreter of ["lua5.1", "lua5.3", "luajit"] as const) {
    it(`gives node:crypto's MACs on the ESP8266 under ${interpreter}`, async () => {
      expect(await onNodeMcu(interpreter, false)).toEqual(EXPECTED);
    });
  }

  it("gives node:crypto's MACs on the ESP32 under lua5.3", async () => {
    expect(await onNodeMcu("lua5.3", true)).toEqual(EXPECTED);
  });
});
