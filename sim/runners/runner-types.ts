import type { DetectedEvent } from "../score.ts";

export const RUNNERS = ["source", "espruino", "lua51", "luajit", "lua53"] as const;
export type RunnerName = (typeof RUNNERS)[number];

/** The board each runner uses unless told otherwise. */
export const DEFAULT_BOARD: Record<RunnerName, string> = {
  source: "espruino-esp32",
  espruino: "espruino-esp32",
  lua51: "nodemcu-esp8266",
  luajit: "nodemcu-esp8266",
  lua53: "nodemcu-esp32",
};

export interface RunResult {
  runner: RunnerName;
  board: string;
  events: DetectedEvent[];
  /** The firmware's raw published payloads, byte for byte: what parity compares. */
  payloads: string[];
  /** What the firmware published on its health topic: faults starting and clearing. */
  health: Record<string, unknown>[];
  log: string[];
  /** A gate's outputs, "T_MS NAME LEVEL" at each change (sim/devices/gate-outputs.ts); none for a shelf. */
  outputs: string[];
  /** Uncaught exceptions or panics: the firmware failed on this trace. */
  errors: string[];
  /** NodeMCU: heap the app holds after boot with its code in flash (LFS), and what its code takes in RAM. */
  heapAfterBootBytes?: number;
  codeBytes?: number;
}
