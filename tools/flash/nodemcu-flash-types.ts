/* The NodeMCU flasher's vocabulary, shared by its parts. */

/** The steps of a flash, in order; a failure names one. */
export type FlashStep = "connect" | "upload" | "verify" | "rename" | "restart";

export interface FlashFile {
  /** The name on the board's file system (at most 27 bytes: SPIFFS takes 31 with the temporary prefix). */
  name: string;
  bytes: Buffer;
  /** Its bytes and the REPL's messages about it stay out of every message (the device record). */
  secret?: boolean;
}

export class FlashError extends Error {
  constructor(readonly step: FlashStep, readonly file: string, readonly detail: string) {
    super(`${step}${file ? ` of ${file}` : ""} failed: ${detail}`);
    this.name = "FlashError";
  }
}
