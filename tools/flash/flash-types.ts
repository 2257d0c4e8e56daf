/*
 * What flashing a board reports, whatever its platform (tools/flash/espruino-flash.ts; the
 * NodeMCU flasher may share it): the steps, progress within a step, and a failure that says
 * which file failed at which step and what state the board was left in.
 */

/** connect: reach the board's REPL; upload: write the files; verify: read their checksums back; reset: switch over, restart, and see it boot. */
export type FlashStep = "connect" | "upload" | "verify" | "reset";

/** done of total within a step: bytes for upload, files for verify, 0 or 1 otherwise. */
export type FlashProgress = (step: FlashStep, done: number, total: number) => void;

/**
 * unchanged: the board runs what it ran before (its code and device record untouched);
 * unflashed: it is marked so, and boots no app until flashed again;
 * unknown: the connection went while the board was switching over, so it may be either.
 */
export type BoardState = "unchanged" | "unflashed" | "unknown";

export class FlashError extends Error {
  constructor(
    readonly step: FlashStep,
    /** The file being written or checked, as the user knows it (the bundle's name, "device"); undefined when no file was at fault. */
    readonly file: string | undefined,
    readonly boardState: BoardState,
    detail: string,
  ) {
    super(`${step}${file === undefined ? "" : ` of ${file}`} failed: ${detail} (the board is ${BOARD_STATE_TEXT[boardState]})`);
    this.name = "FlashError";
  }
}

const BOARD_STATE_TEXT: Record<BoardState, string> = {
  unchanged: "unchanged: its app and device record are as they were",
  unflashed: "marked unflashed: it boots no app until it is flashed again",
  unknown: "in an unknown state: flash it again",
};
