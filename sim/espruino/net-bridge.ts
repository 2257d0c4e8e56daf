import { connect as nodeConnect, type Socket } from "node:net";

type Listener = (this: EspruinoSocket, arg?: unknown) => void;

/** Espruino sockets carry bytes: a character over 255 is a firmware bug, not something to truncate. */
const NOT_A_BYTE = /[^\x00-\xff]/;

/**
 * The socket the firmware holds, as Espruino 2v29's net module gives it: on(event, fn) for
 * "data" (a byte string), "close" and "error", write(string) and end(). Node's socket underneath
 * is real; its events reach the firmware through the board's post(), at the board's current
 * virtual time, never while the board is running something else.
 */
export class EspruinoSocket {
  private readonly listeners = new Map<string, Listener[]>();
  /** Sees every byte string the firmware writes ("out") and is handed ("in"), for tests to watch the wire. */
  tap: ((sock: EspruinoSocket, direction: "in" | "out", data: string) => void) | undefined;
  /** Forgotten by the board (a reset, the end of a live run): its events go nowhere. */
  detached = false;
  private closed = false;

  constructor(readonly node: Socket, private readonly post: (fn: () => void) => void) {}

  on(event: unknown, fn: unknown): void {
    if (typeof event !== "string" || typeof fn !== "function") throw new TypeError("Socket.on(event, fn): needs an event name and a function");
    const list = this.listeners.get(event);
    if (list) list.push(fn as Listener);
    else this.listeners.set(event, [fn as Listener]);
  }

  write(data: unknown): void {
    if (typeof data !== "string") throw new TypeError(`Socket.write: ${typeof data} given, a byte string expected`);
    const bad = NOT_A_BYTE.exec(data);
    if (bad) throw new TypeError(`Socket.write: U+${bad[0].charCodeAt(0).toString(16).toUpperCase()} is not a byte`);
    // Espruino queues what is written before the connection is made, or after it died, without complaint.
    if (this.closed || this.node.destroyed || this.node.writableEnded) return;
    this.tap?.(this, "out", data);
    this.node.write(Buffer.from(data, "latin1"));
  }

  end(): void {
    if (!this.node.destroyed) this.node.end();
  }

  /** Hands a Node event to the firmware at the board's next chance. */
  queue(event: string, arg?: unknown): void {
    this.post(() => {
      if (this.detached || this.closed) return;
      if (event === "close") this.closed = true;
      if (event === "data") this.tap?.(this, "in", arg as string);
      for (const fn of this.listeners.get(event) ?? []) fn.call(this, arg);
    });
  }
}

/**
 * Espruino's require("net") on Node's real net, for the live simulator. One bridge a board; the
 * board owns it and gives post() (see EspruinoBoard.post), so every socket event runs as any
 * other callback does, guarded, with the pin events it causes drained after it.
 */
export class NetBridge {
  private readonly sockets = new Set<EspruinoSocket>();
  /** Given to each new socket: sees the bytes both ways (see EspruinoSocket.tap). */
  tap: EspruinoSocket["tap"];

  constructor(private readonly post: (fn: () => void) => void) {}

  /** What require("net") returns. */
  readonly module = {
    connect: (options: unknown, onConnect?: unknown): EspruinoSocket => this.connect(options, onConnect),
  };

  /** Sockets open now (not yet closed on Node's side). */
  get openCount(): number {
    return this.sockets.size;
  }

  private connect(options: unknown, onConnect: unknown): EspruinoSocket {
    const o = options as { host?: unknown; port?: unknown } | undefined;
    if (typeof o !== "object" || o === null || typeof o.host !== "string" || typeof o.port !== "number") {
      throw new TypeError(`net.connect: options must be {host: string, port: number}, got ${JSON.stringify(options)}`);
    }
    if (onConnect !== undefined && typeof onConnect !== "function") throw new TypeError("net.connect: the callback must be a function");
    const node = nodeConnect({ host: o.host, port: o.port });
    node.setNoDelay(true);
    const sock = new EspruinoSocket(node, this.post);
    sock.tap = this.tap;
    this.sockets.add(sock);
    node.on("connect", () => {
      this.post(() => {
        if (!sock.detached && typeof onConnect === "function") onConnect.call(sock, sock);
      });
    });
    node.on("data", (b: Buffer) => sock.queue("data", b.toString("latin1")));
    node.on("error", (e: Error) => sock.queue("error", { message: e.message }));
    node.on("close", () => {
      this.sockets.delete(sock);
      sock.queue("close");
    });
    return sock;
  }

  /**
   * Cuts every connection at once, as a network that dies does: the peer sees the TCP
   * connection go with no MQTT goodbye, and the firmware hears "close".
   */
  sever(): void {
    for (const s of this.sockets) s.node.destroy();
  }

  /** Closes every socket without telling the firmware (a reset, a live run stopping); resolves once Node has closed them. */
  async closeAll(): Promise<void> {
    // A socket still in the set has not emitted "close" yet (it leaves the set as it does), even
    // one already destroyed: its "close" is on its way.
    const closing = [...this.sockets].map((s) => {
      s.detached = true;
      return new Promise<void>((resolve) => {
        s.node.once("close", () => resolve());
        s.node.destroy();
      });
    });
    await Promise.all(closing);
  }
}
