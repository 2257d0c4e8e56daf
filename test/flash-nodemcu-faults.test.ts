/*
 * flashNodemcu against a virtual board whose serial line garbles what the flasher types (the
 * REPL host's corruptLine, between the UART and the interpreter). A chunk garbled once, or cut
 * short, is caught on the board and sent again; a file read back wrong is uploaded again. A fault
 * that persists ends in a FlashError naming the step and the file: before the rename the board
 * keeps its files and its app, with no temporary files left; during the rename it is left plainly
 * unflashed (no init.lua, the aisle.unflashed marker), so it boots to the bare REPL; an app that
 * fails at boot fails the restart step with the new files in place. Every byte
 * 0-255 survives. A garbled device record's error keeps the REPL's message, which quotes the line,
 * to itself.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodemcuPty } from "../sim/flash/nodemcu-pty.ts";
import { NodemcuReplPty } from "../sim/flash/nodemcu-repl-pty.ts";
import { FlashError, flashNodemcu } from "../tools/flash/nodemcu-flash.ts";
import { NodemcuSerial } from "../tools/flash/nodemcu-serial.ts";

type Hook = (line: string, file: string) => string;
let hook: Hook | undefined;
let file = "";

/** Between the UART and the interpreter: notes which file is being written or read back, and lets the test's hook garble lines. */
function corruptLine(bytes: Buffer): Buffer {
  const line = bytes.toString("latin1");
  const m = /^_af\.v?o\(\d+,"tmp~([^"]+)"\)$/.exec(line);
  if (m !== null) file = m[1];
  return hook === undefined ? bytes : Buffer.from(hook(line, file), "latin1");
}

const isChunk = (name: string, k?: number) => (line: string, f: string) => f === name && new RegExp(`^_af\\.w\\(\\d+,${k ?? "\\d+"},`).test(line);

function once(test: (line: string, f: string) => boolean, garble: (line: string) => string): { hook: Hook; count: () => number } {
  let n = 0;
  return { hook: (line, f) => (n === 0 && test(line, f) ? (n++, garble(line)) : line), count: () => n };
}

function always(test: (line: string, f: string) => boolean, garble: (line: string) => string): Hook {
  return (line, f) => (test(line, f) ? garble(line) : line);
}

/** A bit error in a chunk's data: its first letter or digit changed. */
function flipData(line: string): string {
  const from = line.indexOf('"') + 1;
  const at = line.slice(from).search(/[A-Za-z0-9]/) + from;
  return line.slice(0, at) + (line[at] === "x" ? "y" : "x") + line.slice(at + 1);
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
function version(v: string): { name: string; bytes: Buffer }[] {
  const filler = Array.from({ length: 60 }, (_, i) => `-- line ${i} of app ${v}: abcdefghijklmnopqrstuvwxyz0123456789`).join("\n");
  return [
    { name: "init.lua", bytes: Buffer.from('dofile("app.lua")\n') },
    { name: "app.lua", bytes: Buffer.from(`print("app ${v} up")\n${filler}\n`) },
    { name: "bin.dat", bytes: Buffer.concat([ALL_BYTES, Buffer.from(v), Buffer.from(ALL_BYTES).reverse()]) },
  ];
}
const V1 = version("v1");
const V2 = version("v2");

/** Types node.restart() at the board and resolves with what it printed up to its first prompt. */
async function restart(repl: NodemcuReplPty): Promise<string> {
  const serial = await NodemcuSerial.open(repl.path, 115200);
  try {
    await serial.write("node.restart()\n");
    const lines: string[] = [];
    const banner = await serial.next((l) => (l.includes("powered by Lua") ? l : undefined), 10000);
    expect(banner).toBeDefined();
    await serial.next((l, partial) => (partial && l === "> " ? true : (lines.push(l), undefined)), 10000);
    return lines.join("\n");
  } finally {
    serial.close();
  }
}

async function flashFails(files: { name: string; bytes: Buffer }[], deviceRecord?: Buffer, port = repl.path, lineTimeoutMs = 1000): Promise<FlashError> {
  try {
    await flashNodemcu({ board: "nodemcu-esp8266", port, files, deviceRecord, retries: 2, lineTimeoutMs });
  } catch (e) {
    expect(e).toBeInstanceOf(FlashError);
    return e as FlashError;
  }
  throw new Error("the flash went through");
}

let repl: NodemcuReplPty;

beforeAll(async () => {
  repl = await NodemcuReplPty.start({ board: "nodemcu-esp8266", corruptLine });
  await flashNodemcu({ board: "nodemcu-esp8266", port: repl.path, files: V1 });
});

afterAll(async () => {
  await repl.stop();
});

async function expectFiles(files: { name: string; bytes: Buffer }[], extra: string[] = []): Promise<Map<string, Buffer>> {
  const flash = await repl.files();
  expect([...flash.keys()].sort()).toEqual([...files.map((f) => f.name), ...extra].sort());
  for (const f of files) expect(flash.get(f.name)).toEqual(f.bytes);
  return flash;
}

describe("flashNodemcu on a garbling line (nodemcu-esp8266, lua5.1)", () => {
  it("sends a chunk the board found garbled again, and one that arrived cut short; bytes 0-255 arrive whole", async () => {
    await expectFiles(V1);
    const garbled = once(isChunk("app.lua", 3), flipData);
    const cut = once(isChunk("bin.dat", 2), (l) => l.slice(0, -1));
    hook = (l, f) => cut.hook(garbled.hook(l, f), f);
    const report = await flashNodemcu({ board: "nodemcu-esp8266", port: repl.path, files: V2 });
    hook = undefined;
    expect([garbled.count(), cut.count()]).toEqual([1, 1]);
    expect(report.files.map((f) => [f.name, f.resent, f.uploads])).toEqual([["init.lua", 0, 1], ["app.lua", 1, 1], ["bin.dat", 1, 1]]);
    expect(report.boot).toContain("app v2 up");
    await expectFiles(V2);
  });

  it("uploads a file that reads back wrong once again", async () => {
    const spoil = once((l, f) => f === "app.lua" && l.startsWith("_af.vo("), (l) => `file.putcontents("tmp~app.lua","spoilt") ${l}`);
    hook = spoil.hook;
    const report = await flashNodemcu({ board: "nodemcu-esp8266", port: repl.path, files: V1 });
    hook = undefined;
    expect(report.files.find((f) => f.name === "app.lua")).toMatchObject({ uploads: 2, resent: 0 });
    await expectFiles(V1);
  });

  it("a chunk garbled every time fails the upload of its file and leaves the board as it was", async () => {
    hook = always(isChunk("app.lua", 2), flipData);
    const e = await flashFails(V2);
    hook = undefined;
    expect([e.step, e.file, e.boardState]).toEqual(["upload", "app.lua", "unchanged"]);
    expect(e.message).toMatch(/^upload of app\.lua failed: chunk 2 .* failed 3 times; last: the board's checksum of the chunk differed/);
    await expectFiles(V1);
    expect(await restart(repl)).toContain("app v1 up");
  });

  it("a file that reads back wrong every time fails at verify, and the board keeps its files", async () => {
    hook = always((l, f) => f === "bin.dat" && l.startsWith("_af.vo("), (l) => `file.putcontents("tmp~bin.dat","spoilt") ${l}`);
    const e = await flashFails(V2);
    hook = undefined;
    expect([e.step, e.file, e.boardState]).toEqual(["verify", "bin.dat", "unchanged"]);
    expect(e.message).toContain("the board holds 6 bytes of 514, after 3 uploads");
    await expectFiles(V1);
  });

  it("a garbled device record's failure names it and quotes nothing of it", async () => {
    const record = Buffer.from("\xa3bidhsecret-1dpassxhunter2-Pw", "latin1");
    hook = always(isChunk("device"), (l) => l.replace(',"', ',""'));
    const e = await flashFails(V1, record);
    hook = undefined;
    expect([e.step, e.file, e.boardState]).toEqual(["upload", "device", "unchanged"]);
    expect(e.message).toContain("its message is withheld");
    for (const part of ["secret-1", "hunter2", "near", "\\163"]) expect(e.message.includes(part)).toBe(false);
    await expectFiles(V1);
  });

  it("a rename that fails leaves the board plainly unflashed: no init.lua, the marker, and a boot to the bare REPL", async () => {
    hook = always((l) => l.startsWith("_af.mv(") && l.endsWith(',"app.lua")'), (l) => l.replace("_af.mv(", "_af.mv (("));
    const e = await flashFails(V2);
    hook = undefined;
    expect([e.step, e.file, e.boardState]).toEqual(["rename", "app.lua", "unflashed"]);
    expect(e.message).toContain("marked unflashed");
    const flash = await repl.files();
    expect([...flash.keys()].sort()).toEqual(["aisle.unflashed", "app.lua", "bin.dat", "tmp~app.lua", "tmp~bin.dat", "tmp~init.lua"]);
    expect(flash.get("aisle.unflashed")!.toString()).toContain("did not finish");
    const boot = await restart(repl);
    expect(boot).toContain("cannot open init.lua");
    expect(boot).not.toContain("app v");
    // The next flash clears the way and puts everything right.
    const report = await flashNodemcu({ board: "nodemcu-esp8266", port: repl.path, files: V2 });
    expect(report.boot).toContain("app v2 up");
    await expectFiles(V2);
  });

  it("an app that fails at boot fails the restart step, with the board's words, the new files in place", async () => {
    const broken = [
      { name: "init.lua", bytes: Buffer.from('local ok, err = pcall(dofile, "app.lua")\nif not ok then print("E boot failed: " .. tostring(err)) end\n') },
      { name: "app.lua", bytes: Buffer.from('error("no such sensor")\n') },
    ];
    const e = await flashFails(broken);
    expect([e.step, e.file, e.boardState]).toEqual(["restart", "init.lua", "flashed"]);
    expect(e.message).toContain("the app did not start: E boot failed: app.lua:1: no such sensor");
    await expectFiles([...broken, V2[2]]);
  });

  it("fails at connect, naming the port, where there is no serial line or nothing answers on it", async () => {
    const plain = join(tmpdir(), `aisle-not-a-tty-${process.pid}`);
    writeFileSync(plain, "");
    onTestFinished(() => rmSync(plain, { force: true }));
    const notTty = await flashFails(V1, undefined, plain);
    expect([notTty.step, notTty.file, notTty.boardState]).toEqual(["connect", "", "unchanged"]);
    expect(notTty.message).toContain(`cannot set up ${plain} as a serial line`);
    const silent = await NodemcuPty.open(() => {});
    try {
      const e = await flashFails(V1, undefined, silent.path, 150);
      expect([e.step, e.file]).toEqual(["connect", ""]);
      expect(e.message).toBe(`connect failed: no NodeMCU REPL answered on ${silent.path}; the board is unchanged`);
    } finally {
      await silent.close();
    }
  });
});
