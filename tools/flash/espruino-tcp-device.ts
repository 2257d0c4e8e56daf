/*
 * A tcp:// connection for EspruinoTools, registered as one of its serial devices (its extension
 * point, Espruino.Core.Serial.devices). EspruinoTools' own Node socket device reports a
 * disconnect only on a clean end: a connection reset (a board rebooting, a cable pulled) leaves
 * it writing into a dead socket and waiting on answers that never come. This one reports every
 * way a socket goes (end, error, close) once, and writes bytes as they are (latin1), not as UTF-8.
 */
import { createConnection, type Socket } from "node:net";

export interface EspruinoSerialDevice {
  name: string;
  getPorts(cb: (ports: { path: string; description: string; type: string }[], instant: boolean) => void): void;
  open(path: string, onOpen: (info: unknown) => void, onData: (data: ArrayBuffer) => void, onClose: (error?: unknown) => void): void;
  write(data: string, cb: () => void): void;
  close(): void;
}

/** Parses "tcp://host:port" (the port defaults to 23, Telnet's, as EspruinoTools'). */
export function tcpAddress(url: string): { host: string; port: number } | undefined {
  const m = /^tcp:\/\/([^:/]*)(?::(\d+))?\/?$/.exec(url);
  if (m === null) return undefined;
  return { host: m[1] === "" ? "localhost" : m[1], port: m[2] === undefined ? 23 : Number(m[2]) };
}

export function espruinoTcpDevice(ports: Set<string>): EspruinoSerialDevice {
  let socket: Socket | undefined;
  return {
    name: "aisle TCP",
    getPorts: (cb) => cb([...ports].map((path) => ({ path, description: "TCP", type: "socket" })), true),
    open: (path, onOpen, onData, onClose) => {
      const address = tcpAddress(path);
      if (address === undefined) return onOpen(undefined);
      const s = createConnection(address.port, address.host);
      socket = s;
      let connected = false;
      let gone = false;
      s.setNoDelay(true);
      s.once("connect", () => {
        connected = true;
        onOpen({ portName: path });
      });
      s.on("data", (d: Buffer) => onData(new Uint8Array(d).buffer));
      const lost = (error?: unknown) => {
        if (gone) return;
        gone = true;
        s.destroy();
        if (connected) onClose(error);
        else onOpen(undefined);
      };
      s.on("end", () => lost());
      s.on("error", (e) => lost(e));
      s.on("close", () => lost());
    },
    write: (data, cb) => {
      if (socket === undefined || socket.destroyed) return cb();
      socket.write(Buffer.from(data, "latin1"), () => cb());
    },
    close: () => socket?.end(),
  };
}
