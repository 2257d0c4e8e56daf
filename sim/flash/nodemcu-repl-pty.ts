/*
 * A virtual NodeMCU on a pseudo-terminal, for flashers: the board's console UART is the pty's
 * slave (`path`), which a flasher opens as it would /dev/ttyUSB0. Behind it, the live virtual
 * board (sim/live/live-lua.ts: real lua5.1 or lua5.3 running sim/nodemcu/vboard.lua, its clock on
 * the wall's, its mqtt bridged to a real broker, node.restart() a reset that keeps the flash) with
 * NodeMCU's REPL (nodemcu-repl.lua) and the console UART's handling of bytes (nodemcu-uart.ts).
 * The flash file system lives as long as this object, across restarts; files() reads it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { settleUsFor } from "../devices/hx711-chip.ts";
import { LiveLuaBoard } from "../live/live-lua.ts";
import { loadBoard } from "../../tools/build/board-file.ts";
import { NodemcuPty } from "./nodemcu-pty.ts";
import { NodemcuUartInput, uartOut } from "./nodemcu-uart.ts";

const REPL_LUA = join(dirname(fileURLToPath(import.meta.url)), "nodemcu-repl.lua");

export interface NodemcuReplOptions {
  /** A NodeMCU board (id or path of a board file): its chip, its Lua, its heap and its HX711s. */
  board: string;
  /** The flash at power-on, by name (strings as UTF-8); none: a blank board at its REPL. */
  files?: Record<string, string | Buffer>;
  /** A symlink to make to the pty's slave, e.g. /tmp/x/ttyV0; its path is then `path`. */
  link?: string;
  /** lua5.1, lua5.3, luajit or a path (default: the board's Lua). */
  interpreter?: string;
  /** Virtual µs per wall µs (default 1: a board on a real clock). */
  speed?: number;
  /** Where the board's mqtt connections go (default: where the firmware dials). */
  brokerUrl?: string;
  /** More vboard commands before each boot (H, L, R, W lines). */
  setup?: string[];
  /** Fault injection: each line the UART hands the interpreter, numbered from 0; what it returns is run instead. */
  corruptLine?: (line: Buffer, index: number) => Buffer;
}

/** The vboard commands that wire the board's HX711s, as live-shelf does (with the ESP32's pull-downs on PD_SCK). */
function cellSetup(board: ReturnType<typeof loadBoard>): string[] {
  const cells = board.shelf.cells;
  const setup = cells.map((c, i) => `H ${i} ${c.dout} ${c.sck} ${settleUsFor(c.rate_sps)}`);
  if (board.mcu === "esp32") for (const c of cells) setup.push(`R ${c.sck} 0`);
  return setup;
}

export class NodemcuReplPty {
  private readonly uart: NodemcuUartInput;
  private readonly sent: Buffer[] = [];
  private lineCount = 0;
  private dumpWaiters: (() => void)[] = [];
  private pty!: NodemcuPty;
  /** The live board behind the pty (its lines, boots, bridge, exit). */
  board!: LiveLuaBoard;

  private constructor(private readonly opts: NodemcuReplOptions) {
    this.uart = new NodemcuUartInput({
      echo: (bytes) => this.send(uartOut(bytes)),
      line: (bytes) => {
        const line = opts.corruptLine ? opts.corruptLine(bytes, this.lineCount) : bytes;
        this.lineCount++;
        // Bytes before the board is powered are lost, as before NodeMCU sets its input up.
        this.board?.send(`Y ${line.toString("hex")}`);
      },
    });
  }

  /** Opens the pty, then powers the board on: it prints its banner, runs init.lua if there is one, and waits at "> ". */
  static async start(opts: NodemcuReplOptions): Promise<NodemcuReplPty> {
    const boardFile = loadBoard(opts.board);
    if (boardFile.platform !== "nodemcu") throw new Error(`${boardFile.id} is an ${boardFile.platform} board, not a NodeMCU one`);
    const repl = new NodemcuReplPty(opts);
    repl.pty = await NodemcuPty.open((bytes) => repl.uart.feed(bytes), opts.link);
    try {
      repl.board = await LiveLuaBoard.start({
        interpreter: opts.interpreter ?? (boardFile.lua === "5.3" ? "lua5.3" : "lua5.1"),
        mcu: boardFile.mcu,
        heapBytes: boardFile.memory.lua_heap_bytes ?? 44000,
        files: opts.files ?? {},
        init: "init.lua",
        app: "init.lua",
        setup: [`X ${REPL_LUA}`, ...cellSetup(boardFile), ...(opts.setup ?? [])],
        speed: opts.speed ?? 1,
        brokerUrl: opts.brokerUrl,
        onLine: (line) => repl.onBoardLine(line),
      });
    } catch (e) {
      await repl.pty.close();
      throw e;
    }
    return repl;
  }

  /** The port a flasher opens. */
  get path(): string {
    return this.pty.path;
  }

  /** How many times the board has booted (1, then one more a restart). */
  get boots(): number {
    return this.board.boots;
  }

  /** Everything the board has sent out of its UART so far, as bytes on the wire (latin1). */
  transcript(): string {
    return Buffer.concat(this.sent).toString("latin1");
  }

  /** The flash file system now, by name. */
  async files(timeoutMs = 10000): Promise<Map<string, Buffer>> {
    const dir = mkdtempSync(join(tmpdir(), "aisle-nodemcu-flash-"));
    const path = join(dir, "dump");
    const done = new Promise<void>((resolve) => this.dumpWaiters.push(resolve));
    this.board.send(`Q ${path}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the board did not dump its flash within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([done, timeout, this.board.exited.then(() => Promise.reject(new Error("the board has stopped")))]);
      return parseDump(readFileSync(path));
    } finally {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Powers the board off and closes the pty. */
  async stop(): Promise<void> {
    await this.board.stop();
    await this.pty.close();
  }

  private send(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.sent.push(bytes);
    this.pty.write(bytes);
  }

  private onBoardLine(line: string): void {
    if (line.startsWith("~tx ")) this.send(uartOut(Buffer.from(line.slice(4), "hex")));
    else if (line.startsWith("~tx-raw ")) this.send(Buffer.from(line.slice(8), "hex"));
    else if (line.startsWith("~uart-echo ")) this.uart.echo = line.endsWith("1");
    else if (line.startsWith("~restart ")) this.uart.reset();
    else if (line === "~dumped") this.dumpWaiters.shift()?.();
    // NodeMCU reports an error in a callback this way before it reboots; the virtual board stops.
    else if (line.startsWith("~panic ")) this.send(uartOut(Buffer.from(`PANIC: unprotected error in call to Lua API (${line.slice(7)})\n`, "latin1")));
    else if (!line.startsWith("~")) this.send(uartOut(Buffer.from(line + "\n", "utf8")));
  }
}

/** The Q command's file: NAME\nLENGTH\nBYTES, one after another. */
function parseDump(raw: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (at < raw.length) {
    const nl1 = raw.indexOf(0x0a, at);
    const nl2 = raw.indexOf(0x0a, nl1 + 1);
    if (nl1 < 0 || nl2 < 0) throw new Error("malformed flash dump");
    const name = raw.subarray(at, nl1).toString("latin1");
    const length = Number(raw.subarray(nl1 + 1, nl2).toString("latin1"));
    if (!Number.isInteger(length) || nl2 + 1 + length > raw.length) throw new Error(`malformed flash dump at ${name}`);
    files.set(name, Buffer.from(raw.subarray(nl2 + 1, nl2 + 1 + length)));
    at = nl2 + 1 + length;
  }
  return files;
}
