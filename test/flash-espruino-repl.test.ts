/*
 * The virtual Espruino's TCP console (sim/flash/espruino-repl-server.ts) byte for byte, as
 * Espruino 2v29's REPL answers: echo, `=result`, DLE echo-off lines, lines held until their
 * brackets balance, Ctrl-C, Ctrl-E, process.env as EspruinoTools asks for it, E.CRC32 against
 * zlib's CRC-32, and Storage kept across reset(), load(), E.reboot() and power cycles, which run
 * what Espruino runs from it.
 */
import { crc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { EspruinoReplServer } from "../sim/flash/espruino-repl-server.ts";
import { EspruinoTerminal } from "./support/espruino-terminal.ts";

let server: EspruinoReplServer | undefined;
let term: EspruinoTerminal | undefined;
let lines: string[] = [];

async function board(id = "espruino-esp32", console: "Telnet" | "Serial1" = "Telnet"): Promise<EspruinoTerminal> {
  lines = [];
  server = await EspruinoReplServer.start({ board: id, console, onLine: (l) => lines.push(l) });
  term = await EspruinoTerminal.open(server.port);
  return term;
}

afterEach(async () => {
  term?.close();
  await server?.close();
  server = undefined;
  term = undefined;
});

/** What EspruinoTools sends to read an expression (Utils.executeExpression), and the JSON it gets back. */
async function expression(t: EspruinoTerminal, expr: string): Promise<unknown> {
  const got = await t.type(`\x10print("<","<<",JSON.stringify(${expr}),">>",">")\n`, />> >\r\n>$/);
  return JSON.parse(got.slice(got.indexOf("< <<") + 4, got.indexOf(">> >")));
}

describe("the console", () => {
  it("echoes, shows results, keeps echo-off lines quiet, and runs a line once its brackets balance", async () => {
    const t = await board();
    expect(await t.type("1+1\n")).toBe("1+1\r\n=2\r\n>");
    expect(await t.type("\x10print(42)\n")).toBe("42\r\n>");
    expect(await t.type("\x10var quiet = 7\n", null)).toBe("");
    expect(await t.type("quiet\n")).toBe("quiet\r\n=7\r\n>");
    expect(await t.type("function f(a) {\n", /:$/)).toBe("function f(a) {\r\n:");
    expect(await t.type("return \"}\" + a * 2 }\n")).toBe("return \"}\" + a * 2 }\r\n=undefined\r\n>");
    expect(await t.type("f(21)\n")).toBe("f(21)\r\n=\"}42\"\r\n>");
    // ESC LF is a newline that does not run; ESC [ n d (EspruinoTools' line numbers) is swallowed.
    expect(await t.type("\x1B[5d[1,\x1B\n2].length\n")).toBe("[1,\r\n:2].length\r\n=2\r\n>");
    expect(await t.type("({a: 1, \"b-c\": [1, \"x\"]})\n")).toContain("={ a: 1, \"b-c\": [ 1, \"x\" ] }\r\n>");
  });

  it("says Uncaught for an exception, clears the input on Ctrl-C, and says what it is on Ctrl-E", async () => {
    const t = await board();
    expect(await t.type("throw new Error('bad')\n")).toContain("Uncaught Error: bad\r\n>");
    await t.type("foo(\n", /:$/);
    await t.type("\x03");
    expect(await t.type("1\n")).toBe("1\r\n=1\r\n>");
    expect(await t.type("\x05", "\r\n")).toBe("Espruino 2v29 ESP32\r\n");
  });

  it("answers process.env as Espruino 2v29 on an ESP32 or an ESP8266 over Telnet", async () => {
    const esp32 = await expression(await board("espruino-esp32"), "process.env");
    expect(esp32).toMatchObject({ VERSION: "2v29", BOARD: "ESP32", CONSOLE: "Telnet", STORAGE: 917504, RAM: 524288 });
    expect(String((esp32 as { MODULES: string }).MODULES).split(",")).toEqual(expect.arrayContaining(["Storage", "heatshrink", "net", "crypto", "Wifi", "ESP32"]));
    term!.close();
    await server!.close();
    const esp8266 = await expression(await board("espruino-esp8266"), "process.env");
    expect(esp8266).toMatchObject({ VERSION: "2v29", BOARD: "ESP8266_4MB", STORAGE: 196608 });
    expect(String((esp8266 as { MODULES: string }).MODULES).split(",")).toEqual(expect.arrayContaining(["Storage", "heatshrink", "ESP8266"]));
  });

  it("computes E.CRC32 as Espruino does: each element's low byte, zlib's CRC-32, undefined for what is not iterable", async () => {
    const t = await board();
    await t.type("\x10var s = ''; for (var i = 0; i < 256; i++) s += String.fromCharCode(i);\n", null);
    const got = await expression(t, "[E.CRC32(s), E.CRC32(new Uint8Array([1, 2, 250])), E.CRC32(E.toArrayBuffer('abc')), E.CRC32([1, 256, -1, 'x']), E.CRC32(''), E.CRC32(), E.CRC32(5)]");
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(got).toEqual([crc32(all), crc32(Buffer.from([1, 2, 250])), crc32("abc"), crc32(Buffer.from([1, 0, 255, 0])), 0, null, null]);
  });
});

describe("Storage across restarts", () => {
  it("keeps Storage; reset() runs .boot0 and .bootrst, load() and a power cycle .bootcde, load(file) the file", async () => {
    const t = await board();
    await t.type(`\x10require("Storage").write(".bootcde", 'print("app")'); require("Storage").write(".boot0", 'print("guard")')\n`, null);
    lines = [];
    const reset = await t.type("\x10reset()\n", /Donate\r\n(?:.*\r\n)*>$/);
    expect(reset).toContain(" 2v29 (c) 2025 G.Williams");
    expect(lines).toEqual(["guard"]);
    lines = [];
    await t.type("\x10load()\n");
    expect(lines).toEqual(["guard", "app"]);
    lines = [];
    await t.type(`\x10require("Storage").write("x.js", 'print("x")'); load("x.js")\n`, /x\r\n>$/);
    expect(lines).toEqual(["guard", "x"]);
    lines = [];
    await t.type(`\x10E.setBootCode('print("always")', true); reset()\n`, /always\r\n>$/);
    expect(lines).toEqual(["guard", "always"]);
    expect(await expression(t, `require("Storage").list()`)).toEqual([".boot0", ".bootrst", "x.js"]);
    lines = [];
    await server!.reset();
    expect(lines).toEqual(["guard", "always"]);
    expect(server!.restarts).toEqual(["power", "reset", "load", "load", "reset", "power"]);
  });

  it("refuses save() while .bootcde exists, as 2v29 does, and erases the saved code on reset(true)", async () => {
    const t = await board();
    await t.type(`\x10E.setBootCode('print("app")')\n`, null);
    expect(await t.type("save()\n")).toContain("Uncaught Error: Cannot save: .bootcde file already exists. Please remove it first.");
    expect(await t.type("\x10reset(true)\n", /Donate\r\n(?:.*\r\n)*>$/)).toContain("Erasing saved code.\r\nDone!\r\n");
    expect(await expression(t, `require("Storage").list()`)).toEqual([]);
  });

  it("drops a Telnet session on E.reboot(), and keeps a serial one, which sees the app boot", async () => {
    const telnet = await board("espruino-esp32", "Telnet");
    await telnet.type(`\x10E.setBootCode('print("app")'); E.reboot()\n`, null);
    await telnet.until(() => telnet.closed, "the session to close");
    expect(lines).toEqual(["app"]);
    await server!.close();
    const serial = await board("espruino-esp32", "Serial1");
    await serial.type(`\x10E.setBootCode('print("app")'); E.reboot()\n`, /app\r\n>$/);
    expect(serial.closed).toBe(false);
  });
});
