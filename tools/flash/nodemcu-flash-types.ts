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

/**
 * What a failed flash left on the board:
 * unchanged: its files as they were (temporary copies removed as far as the board still answered);
 * unflashed: init.lua removed and aisle.unflashed written, so it boots to the bare REPL, no app;
 * flashed: every new file in place, but the restart did not show the app booting;
 * unknown: the board stopped answering while it removed init.lua or the marker: either of the above.
 */
export type BoardState = "unchanged" | "unflashed" | "flashed" | "unknown";

const STATE_TEXT: Record<BoardState, string> = {
  unchanged: "the board is unchanged",
  unflashed: "the board is marked unflashed (no init.lua, aisle.unflashed written): it boots no app until flashed again",
  flashed: "the new files are on the board",
  unknown: "the board may be unchanged or unflashed: flash it again",
};

export class FlashError extends Error {
  constructor(readonly step: FlashStep, readonly file: string, readonly detail: string, readonly boardState: BoardState = "unchanged") {
    super(`${step}${file ? ` of ${file}` : ""} failed: ${detail}; ${STATE_TEXT[boardState]}`);
    this.name = "FlashError";
  }
}
