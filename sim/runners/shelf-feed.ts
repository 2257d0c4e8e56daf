import type { ExternalDevice } from "../espruino/espruino-board.ts";
import { NO_SAMPLE as NO_SAMPLE_EXPORT, type ShelfChunk, type ShelfStream } from "../trace/trace-stream.ts";

/* Read once: an imported binding is a getter under tsx, and this is read a sample at a time. */
const NO_SAMPLE = NO_SAMPLE_EXPORT;

/**
 * A shelf trace's conversions as one device of a board's event loop, taken from the stream a
 * chunk at a time: row by row, and within a row channel by channel (the order the cells are
 * wired), so that every runner is fed the same conversions in the same order. Nothing is kept
 * but the chunk in hand, so a trace of any length replays in constant memory.
 */
export class ShelfFeed implements ExternalDevice {
  private chunk: ShelfChunk | undefined;
  private row = 0;
  private channel = -1;
  private channels = 0;

  constructor(private readonly stream: ShelfStream, private readonly convert: (cell: number, counts: number) => void) {
    this.chunk = stream.next();
    this.channels = stream.header.channels.length;
    this.advance();
  }

  /** True once every conversion has been fed. */
  get done(): boolean {
    return this.chunk === undefined;
  }

  /** The time of the last row of the chunk in hand: the board can run that far before the next read. */
  get horizonUs(): number {
    return this.chunk === undefined ? Infinity : this.chunk.tUs[this.chunk.rows - 1];
  }

  nextUs(): number {
    return this.chunk === undefined ? Infinity : this.chunk.tUs[this.row];
  }

  fire(): void {
    const c = this.chunk!;
    const cell = this.channel;
    const counts = c.counts[cell][this.row];
    this.advance();
    this.convert(cell, counts);
  }

  /** Moves to the next cell that holds a sample, reading the next chunk when this one is used up. */
  private advance(): void {
    for (;;) {
      const c = this.chunk;
      if (c === undefined) return;
      this.channel++;
      if (this.channel === this.channels) {
        this.channel = 0;
        this.row++;
      }
      if (this.row >= c.rows) {
        this.chunk = this.stream.next();
        this.row = 0;
        this.channel = -1;
        continue;
      }
      if (c.counts[this.channel][this.row] !== NO_SAMPLE) return;
    }
  }
}
