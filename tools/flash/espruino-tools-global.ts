/*
 * EspruinoTools as one process holds it: the global `Espruino` its init() makes (typed here as far
 * as aisle uses it), set up once for flashing: a tcp:// device that reports resets
 * (tools/flash/espruino-tcp-device.ts), no status line, and no fetching of board JSON from the web
 * while a flash runs. And the console while a session runs: EspruinoTools logs through console.*,
 * so its calls (and only its) go to the session's log.
 */
import { createRequire } from "node:module";
import { format } from "node:util";
import { espruinoTcpDevice, type EspruinoSerialDevice } from "./espruino-tcp-device.ts";

export interface EspruinoToolsGlobal {
  Config: Record<string, unknown>;
  Core: {
    Serial: {
      devices: EspruinoSerialDevice[];
      open(port: string, onConnect: (status: unknown) => void, onDisconnect: () => void): void;
      close(): void;
      isConnected(): boolean;
      startListening(cb: (data: ArrayBuffer) => void): unknown;
    };
    CodeWriter: { writeToEspruino(code: string, done: () => void): void };
    Utils: {
      executeExpression(expr: string, cb: (result: string | undefined) => void, options?: object): void;
      getUploadFileCode(name: string, contents: string): string;
    };
    Env: { getData(): Record<string, unknown> };
    Status: { setStatus(text: string, max?: number): void; incrementProgress(amount: number): void };
  };
  addProcessor(name: string, fn: (data: { data?: string }, cb: (data: unknown) => void) => void): void;
}

/** The tcp:// ports the tcp device offers EspruinoTools. */
export const tcpPorts = new Set<string>();
let offline = false;
let toolsReady: Promise<EspruinoToolsGlobal> | undefined;

export function espruinoTools(): Promise<EspruinoToolsGlobal> {
  toolsReady ??= new Promise((resolve) => {
    const esp = createRequire(import.meta.url)("espruino") as { init(cb: () => void): void };
    const log = console.log;
    console.log = () => {};
    esp.init(() => {
      console.log = log;
      const E = (globalThis as unknown as { Espruino: EspruinoToolsGlobal }).Espruino;
      E.Core.Serial.devices.push(espruinoTcpDevice(tcpPorts));
      // index.js makes its status line console.log calls, some of which land after a session has ended.
      E.Core.Status = { setStatus: () => {}, incrementProgress: () => {} };
      // The board's JSON (firmware versions, pin maps) is fetched from the web on connect: not while flashing.
      E.addProcessor("getURL", (data, cb) => cb(offline ? { ...data, data: "" } : data));
      resolve(E);
    });
  });
  return toolsReady;
}

/** Whether EspruinoTools is the caller (its files are loaded from the package's folder). */
function fromEspruinoTools(): boolean {
  return /node_modules[\\/]espruino[\\/]/.test(new Error().stack ?? "");
}

/**
 * Sends EspruinoTools' console calls to log (nowhere while muted() holds, or without a log) and
 * keeps it offline, until the returned function undoes it. Other code's console calls, and what
 * log itself prints, go where they would have gone.
 */
export function captureEspruinoTools(log: ((line: string) => void) | undefined, muted: () => boolean): () => void {
  const saved = [console.log, console.info, console.warn, console.error];
  let inLog = false;
  [console.log, console.info, console.warn, console.error] = saved.map((original) => (...args: unknown[]) => {
    if (inLog || !fromEspruinoTools()) return original(...args);
    if (muted() || log === undefined) return;
    inLog = true;
    try {
      log(format(...args));
    } finally {
      inLog = false;
    }
  });
  offline = true;
  return () => {
    offline = false;
    [console.log, console.info, console.warn, console.error] = saved;
  };
}
