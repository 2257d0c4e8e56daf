/*
 * A virtual Espruino 2v29 board whose console is a TCP port on loopback, for the real
 * EspruinoTools to connect to (`espruino -p tcp://127.0.0.1:PORT`, or its API in-process), as
 * it connects to an ESP32's or ESP8266's Telnet console. The board runs on a real clock
 * (sim/live/live-espruino.ts) with its Storage kept across restarts: it powers on from Storage
 * (.boot0-3, then .bootrst or .bootcde), and load(), reset() and E.reboot() restart it as on the
 * device. The console's line discipline is sim/flash/espruino-console.ts; what it adds to the
 * firmware's globals, sim/flash/espruino-repl-globals.ts. Nothing here is known to firmware or ports.
 *
 * One client at a time, as Espruino's Telnet server: a new connection takes the console over.
 * Input is handled in order, at the board's time, a received chunk at a time; a line that asks
 * for a restart holds the input after it until the restart is done.
 *
 * Faults for tests are injected through `faults` (sim/flash/espruino-faults.ts).
 */
import { createServer, type Server, type Socket } from "node:net";
import { loadBoard, type BoardFile } from "../../tools/build/board-file.ts";
import type { EspruinoBoard, RestartKind } from "../espruino/espruino-board.ts";
import { cryptoBuildFor } from "../espruino/espruino-crypto.ts";
import { LiveEspruino } from "../live/live-espruino.ts";
import { EspruinoConsole } from "./espruino-console.ts";
import { FlashFaults } from "./espruino-faults.ts";
import { espruinoBanner, espruinoProcessEnv } from "./espruino-process-env.ts";
import { replGlobals } from "./espruino-repl-globals.ts";

export interface EspruinoReplServerOptions {
  /** A board id (boards/NAME.json) or path, or the loaded board file; its platform must be espruino. */
  board: string | BoardFile;
  /** The board's flash, kept across restarts; a new empty one unless given. */
  storage?: Map<string, string>;
  /** Virtual time per wall time (default 1: the board keeps the wall's time). */
  speed?: number;
  /** Wires devices to the board once, before it powers on (they stay wired across restarts). */
  wire?: (board: EspruinoBoard) => void;
  /** Told every line the board's code prints. */
  onLine?: (line: string) => void;
  /**
   * What the console is: "Telnet" (the default), as an ESP32's or ESP8266's console over Wi-Fi,
   * whose connection a power cycle drops; "Serial1", a UART behind a USB bridge, which stays.
   */
  console?: "Telnet" | "Serial1";
  /** What process.env.BOARD says, when not the board file's chip (a test of the flasher's check). */
  envBoard?: string;
}

export class EspruinoReplServer {
  readonly storage: Map<string, string>;
  readonly live: LiveEspruino;
  readonly console: EspruinoConsole;
  /** Everything the console sent to its clients (characters 0-255), the last MAX_TRANSCRIPT of it. */
  transcript = "";
  /** How many times the board has restarted, and how (power, load, reset). */
  readonly restarts: RestartKind[] = [];
  private server: Server | undefined;
  private client: Socket | undefined;
  private pending = "";
  private drainPosted = false;
  private promptPosted = false;
  /** What a test breaks: the connection, flash writes, the power. */
  readonly faults = new FlashFaults();
  /** Between a power cut and the restart it causes: nothing reaches the console. */
  private poweredOff = false;
  private readonly boardFile: BoardFile;
  private portNumber = 0;
  private readonly consoleDevice: "Telnet" | "Serial1";

  private constructor(opts: EspruinoReplServerOptions) {
    const board = typeof opts.board === "string" ? loadBoard(opts.board) : opts.board;
    if (board.platform !== "espruino") throw new Error(`EspruinoReplServer: ${board.id} is a ${board.platform} board, not an Espruino one`);
    this.boardFile = board;
    this.storage = opts.storage ?? new Map();
    this.consoleDevice = opts.console ?? "Telnet";
    const env = espruinoProcessEnv(board, this.consoleDevice);
    if (opts.envBoard !== undefined) env.BOARD = opts.envBoard;
    this.console = new EspruinoConsole({
      write: (bytes) => this.send(bytes),
      evaluate: (line) => this.live.board.evaluate(line),
      restartPending: () => this.live.board.restartPending,
      identity: `Espruino ${env.VERSION} ${env.BOARD}`,
    });
    this.live = new LiveEspruino({
      code: "",
      filename: "power-on",
      mode: "context",
      storage: this.storage,
      speed: opts.speed ?? 1,
      crypto: cryptoBuildFor(board.mcu),
      onLine: (line) => {
        this.console.print(line);
        opts.onLine?.(line);
      },
      extendGlobals: replGlobals({
        board: () => this.live.board, console: this.console, storage: this.storage, env,
        storageFault: (name, data) => this.faults.written(name, data, () => this.powerGoes()),
      }),
      onRestart: (kind, file) => this.restarted(kind, file),
    });
    opts.wire?.(this.live.board);
  }

  /** Powers the board on from its Storage and listens on 127.0.0.1:port (0: a free port). */
  static async start(opts: EspruinoReplServerOptions & { port?: number }): Promise<EspruinoReplServer> {
    const s = new EspruinoReplServer(opts);
    s.live.board.requestRestart("power");
    s.live.start();
    // The power-on's prompt goes out before anyone can connect, as it would on the device.
    await new Promise((r) => setImmediate(r));
    const server = createServer((socket) => s.accept(socket));
    s.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    s.portNumber = (server.address() as { port: number }).port;
    return s;
  }

  get port(): number {
    return this.portNumber;
  }

  /** The port as EspruinoTools names it. */
  get url(): string {
    return `tcp://127.0.0.1:${this.portNumber}`;
  }

  get board(): EspruinoBoard {
    return this.live.board;
  }


  /** The power goes (a fault): nothing more reaches the console, and the board boots again. */
  private powerGoes(): void {
    this.poweredOff = true;
    this.live.board.requestRestart("power");
  }

  /** A power cycle, as pressing the reset button: resolves once the board has restarted from Storage. */
  async reset(): Promise<void> {
    const before = this.restarts.length;
    this.live.board.requestRestart("power");
    this.live.board.post(() => {});
    await this.live.waitFor(() => this.restarts.length > before, "the power cycle");
  }

  /** Closes the client and the port, and stops the board. */
  async close(): Promise<void> {
    this.client?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.live.stop();
  }

  private accept(socket: Socket): void {
    this.client?.destroy();
    this.client = socket;
    socket.setNoDelay(true);
    socket.on("data", (data) => this.received(socket, data));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (this.client === socket) this.client = undefined;
    });
  }

  private received(socket: Socket, data: Buffer): void {
    const { text, cut } = this.faults.received(data.toString("latin1"));
    if (cut) socket.destroy();
    this.pending += text;
    this.postDrain();
  }

  private postDrain(): void {
    if (this.drainPosted || this.pending === "") return;
    this.drainPosted = true;
    this.live.board.post(() => {
      this.drainPosted = false;
      const taken = this.console.input(this.pending);
      this.pending = this.pending.slice(taken);
      this.postPrompt();
    });
  }

  /** The prompt returns at the end of the board's loop, once what was posted has run. */
  private postPrompt(): void {
    if (this.promptPosted) return;
    this.promptPosted = true;
    setImmediate(() => {
      this.promptPosted = false;
      this.console.returnPrompt();
    });
  }

  private restarted(kind: RestartKind, file: string | undefined): void {
    this.restarts.push(kind);
    this.poweredOff = false;
    // A reboot takes Wi-Fi, and the Telnet session with it, down.
    if (kind === "power" && this.consoleDevice === "Telnet") {
      this.client?.destroy();
      this.pending = "";
    }
    const hasCode = [".varimg", ".bootcde", ".bootrst"].some((n) => this.storage.has(n));
    // jsiSemiInit prints the banner unless it loads code from flash; load() alone does not go through it.
    const banner = kind === "reset" || file !== undefined || (kind === "power" && !hasCode) ? espruinoBanner(this.boardFile) : undefined;
    this.console.restarted(kind === "load" && file === undefined ? undefined : (banner ?? ""));
    // The restart dropped what was posted: input still waiting is posted again, after the boot code.
    this.drainPosted = false;
    this.postDrain();
    this.postPrompt();
  }

  private send(bytes: string): void {
    if (this.poweredOff) return;
    this.transcript = (this.transcript + bytes).slice(-MAX_TRANSCRIPT);
    if (this.client !== undefined && !this.client.destroyed) this.client.write(Buffer.from(bytes, "latin1"));
  }
}

const MAX_TRANSCRIPT = 1 << 20;
