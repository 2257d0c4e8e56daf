/** What every live device (live-shelf.ts, live-gate.ts) is started with. */
export interface LiveDeviceOptions {
  board: string;
  /** The trace that drives its inputs (.trace.csv or .trace.bin); a shelf's also holds the calibration and lanes. */
  trace: string;
  brokerUrl: string;
  deviceId: string;
  /** The device's 32-byte HMAC key: its config has it, and so does whoever signs its commands. */
  key: Buffer;
  /** Its 32-byte key for bundle updates (docs/ota.md), in its config; without one it refuses them. */
  otaKey?: Buffer;
  user?: string;
  password?: string;
  /** Virtual time per wall time (≥ 1), or "max". */
  speed: number | "max";
  keepaliveS?: number;
  onLine?: (line: string) => void;
  /** The Lua interpreter for a NodeMCU board (default: lua5.1 or lua5.3, as the board's Lua). */
  interpreter?: string;
}
