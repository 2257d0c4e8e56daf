/*
 * The virtual NodeMCU REPL on a pty, byte for byte as a terminal sees it: the boot banner and
 * init.lua, the prompts, the UART's echo and line editing (release app/driver/input.c), "\r\n"
 * line ends, chunks run in the global environment and continued with ">>", errors as
 * "Lua error: \tstdin:1: ...", NodeMCU's 255-byte line, uart.setup's echo, files written through
 * the REPL (file.open on the ESP8266, io on the ESP32) with every byte 0-255, and node.restart():
 * the Lua state gone, the files kept, the banner again. lua5.1 for the ESP8266, lua5.3 the ESP32.
 */
import { constants, existsSync, mkdtempSync, openSync, readlinkSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReadStream } from "node:tty";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodemcuReplPty } from "../sim/flash/nodemcu-repl-pty.ts";

/** A terminal on the port: what it types, and everything it has received. */
class Terminal {
  text = "";
  private readonly stream: ReadStream;
  private constructor(private readonly fd: number) {
    this.stream = new ReadStream(fd);
    this.stream.on("data", (d: Buffer) => (this.text += d.toString("latin1")));
  }

  static open(path: string): Terminal {
    execFileSync("stty", ["-F", path, "115200", "raw", "-echo"]);
    return new Terminal(openSync(path, constants.O_RDWR | constants.O_NOCTTY));
  }

  /** Types text and resolves with what arrives until it ends with `end` (the prompt by default). */
  async type(text: string, end = "> "): Promise<string> {
    const from = this.text.length;
    writeSync(this.fd, Buffer.from(text, "latin1"));
    return this.until(end, from, text);
  }

  /** What arrives from `from` on until it ends with `end`. */
  async until(end: string, from = this.text.length, text = ""): Promise<string> {
    const deadline = Date.now() + 10000;
    while (!(this.text.length > from && this.text.endsWith(end))) {
      if (Date.now() > deadline) throw new Error(`waited for ${JSON.stringify(end)} after typing ${JSON.stringify(text)}; got ${JSON.stringify(this.text.slice(from))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.text.slice(from);
  }

  close(): void {
    this.stream.destroy();
  }
}

/** Until the board has booted and waits at its first prompt. */
async function booted(repl: NodemcuReplPty): Promise<void> {
  const deadline = Date.now() + 10000;
  while (!repl.transcript().endsWith("> ")) {
    if (Date.now() > deadline) throw new Error("the board did not reach its prompt");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
/** Lines that append bytes to a file through the REPL, each well under NodeMCU's 255 bytes. */
function appendLines(open: string, name: string, bytes: Buffer): string[] {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 32) {
    const data = [...bytes.subarray(at, at + 32)].map((c) => `\\${c}`).join("");
    lines.push(`f=${open}("${name}","a") f:write("${data}") f:close()`);
  }
  return lines;
}

describe.each([
  { board: "nodemcu-esp8266", lua: "Lua 5.1.4", nilCall: "attempt to call global 'foo' (a nil value)", open: "file.open" },
  { board: "nodemcu-esp32", lua: "Lua 5.3.5", nilCall: "attempt to call a nil value (global 'foo')", open: "io.open" },
])("the NodeMCU REPL of a virtual $board on a pty", ({ board, lua, nilCall, open }) => {
  let repl: NodemcuReplPty;
  let term: Terminal;

  beforeAll(async () => {
    repl = await NodemcuReplPty.start({ board, files: { "hello.txt": "hi there" } });
    term = Terminal.open(repl.path);
    await booted(repl);
    // Whatever of the boot reached the terminal, it is all in before this answer.
    await term.type('="sy".."nc"\r', "sync\r\n> ");
  });

  afterAll(async () => {
    term.close();
    await repl.stop();
  });

  it("boots with the banner (on its UART: the pty passes on output only while the port is open), says init.lua is missing, and waits at the prompt", () => {
    const boot = repl.transcript();
    expect(boot.startsWith("\r\nNodeMCU ")).toBe(true);
    expect(boot).toContain(`powered by ${lua}`);
    expect(boot).toContain("\r\ncannot open init.lua\r\n> =");
  });

  it("echoes what is typed, runs each line, prints with \\r\\n, and edits lines as the UART does", async () => {
    expect(await term.type("print(1+1)\r\n")).toBe("print(1+1)\r\n2\r\n> ");
    expect(await term.type("prinx\x7ft(3)\n\r")).toBe("prinx\b \bt(3)\r\n3\r\n> ");
    expect(await term.type("\r")).toBe("\r\n> ");
    expect(await term.type("=2*3, 'a'\r")).toBe("=2*3, 'a'\r\n6\ta\r\n> ");
    expect(await term.type("print(file.getcontents and file.getcontents('hello.txt') or io.open('hello.txt'):read('a'))\r")).toContain("\r\nhi there\r\n> ");
  });

  it("continues a chunk with >> and runs it in the global environment", async () => {
    expect(await term.type("for i=1,2 do\r", ">> ")).toBe("for i=1,2 do\r\n>> ");
    expect(await term.type("x=(x or 0)+i\r", ">> ")).toBe("x=(x or 0)+i\r\n>> ");
    expect(await term.type("end\r")).toBe("end\r\n> ");
    expect(await term.type("print(x)\r")).toBe("print(x)\r\n3\r\n> ");
    expect(await term.type("_PROMPT='$ '\r", "$ ")).toBe("_PROMPT='$ '\r\n$ ");
    expect(await term.type("_PROMPT=nil\r")).toBe("_PROMPT=nil\r\n> ");
  });

  it("prints errors as NodeMCU does: Lua error, a tab, the message and its traceback", async () => {
    expect(await term.type("foo()\r")).toBe(`foo()\r\nLua error: \tstdin:1: ${nilCall}\r\nstack traceback:\r\n\tstdin:1: in main chunk\r\n> `);
    expect(await term.type("x = = 1\r")).toBe("x = = 1\r\nLua error: \tstdin:1: unexpected symbol near '='\r\n> ");
  });

  it("takes lines of up to 255 bytes; past that the line so far is thrown away", async () => {
    const full = "y=255 --" + "a".repeat(247);
    expect(full.length).toBe(255);
    await term.type(full + "\r");
    expect(await term.type("print(y)\r")).toContain("\r\n255\r\n> ");
    const over = "z=256 --" + "a".repeat(247);
    expect(await term.type(over + "print(z)\r")).toContain("print(z)\r\nnil\r\n> ");
  });

  it("writes files of any bytes through the REPL, which the flash then holds", async () => {
    for (const line of appendLines(open, "all.bin", ALL_BYTES)) expect(await term.type(line + "\r")).toBe(line + "\r\n> ");
    const flash = await repl.files();
    expect(flash.get("all.bin")).toEqual(ALL_BYTES);
    expect(flash.get("hello.txt")!.toString()).toBe("hi there");
  });

  it("stops echoing after uart.setup(..., 0), which returns the baud", async () => {
    expect(await term.type("=uart.setup(0,115200,8,uart.PARITY_NONE,uart.STOPBITS_1,0)\r")).toBe("=uart.setup(0,115200,8,uart.PARITY_NONE,uart.STOPBITS_1,0)\r\n115200\r\n> ");
    expect(await term.type("print(7)\r")).toBe("7\r\n> ");
  });

  it("node.restart() resets the board: the Lua state gone, the files kept, the banner and the echo back", async () => {
    const boot = await term.type("node.restart()\r", "cannot open init.lua\r\n> ");
    expect(boot).toContain(`powered by ${lua}`);
    expect(repl.boots).toBe(2);
    expect(await term.type("print(x)\r")).toBe("print(x)\r\nnil\r\n> ");
    expect([...(await repl.files()).keys()].sort()).toEqual(["all.bin", "hello.txt"]);
    await term.type(appendLines(open, "init.lua", Buffer.from('print("init ran")'))[0] + "\r");
    expect(await term.type("node.restart()\r", "init ran\r\n> ")).toContain(`powered by ${lua}`);
  });
});

describe("the virtual NodeMCU's port", () => {
  it("can be a link of one's choosing, opened and closed any number of times (reading nothing sent while it was closed), and goes with the board", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-tty-"));
    const link = join(dir, "ttyV0");
    const repl = await NodemcuReplPty.start({ board: "nodemcu-esp8266", link });
    try {
      expect(repl.path).toBe(link);
      await booted(repl);
      expect(readlinkSync(link)).toMatch(/^\/dev\/pts\/\d+$/);
      for (let i = 0; i < 3; i++) {
        const term = Terminal.open(link);
        expect(await term.type(`print(${i}*7)\r`)).toBe(`print(${i}*7)\r\n${i * 7}\r\n> `);
        term.close();
      }
    } finally {
      await repl.stop();
    }
    expect(existsSync(link)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
