/*
 * Faults a test injects into the virtual Espruino's console and flash (sim/flash/espruino-repl-server.ts):
 * a connection cut mid-stream, after so many bytes or right after some text has come (a cable
 * pulled mid-upload); a bit flipped in every write to a Storage file (a bad chip); the power cut
 * as a write to a file begins (its data not written), the board then booting again.
 */
export class FlashFaults {
  private dropAfter = Infinity;
  private dropText: { text: string; skip: number; tail: string } | undefined;
  private readonly corrupt = new Set<string>();
  private powerCut: { file: string; writes: number } | undefined;

  /** Cuts the client's connection once n more bytes have come from it. */
  dropAfterBytes(n: number): void {
    this.dropAfter = n;
  }

  /** Cuts the client's connection right after it has sent the occurrence-th copy of text (1: the first). */
  dropAfterText(text: string, occurrence = 1): void {
    this.dropText = { text, skip: occurrence - 1, tail: "" };
  }

  /** Every later write to this Storage file reaches flash with its first byte's low bit flipped. */
  corruptFile(name: string): void {
    this.corrupt.add(name);
  }

  /** The power goes as the n-th later write to this Storage file begins. */
  powerCutOnWrite(file: string, n = 1): void {
    this.powerCut = { file, writes: n };
  }

  /** What of the received text gets through, and whether the connection is cut after it. */
  received(text: string): { text: string; cut: boolean } {
    const drop = this.dropText;
    if (drop !== undefined) {
      // A copy may straddle two chunks: the end of the last one is searched again.
      const seen = drop.tail + text;
      for (let from = 0, at = seen.indexOf(drop.text); at >= 0; from = at + 1, at = seen.indexOf(drop.text, from)) {
        if (drop.skip-- > 0) continue;
        this.dropText = undefined;
        this.dropAfter = at + drop.text.length - drop.tail.length;
        break;
      }
      drop.tail = seen.slice(1 - drop.text.length);
    }
    if (text.length < this.dropAfter) {
      this.dropAfter -= text.length;
      return { text, cut: false };
    }
    const through = text.slice(0, this.dropAfter);
    this.dropAfter = Infinity;
    return { text: through, cut: true };
  }

  /** The data a write to a Storage file puts in flash; when the power goes, powerGoes() is told and the write throws. */
  written(name: string, data: string, powerGoes: () => void): string {
    const cut = this.powerCut;
    if (cut !== undefined && cut.file === name && --cut.writes === 0) {
      this.powerCut = undefined;
      powerGoes();
      throw new Error("the power went");
    }
    return this.corrupt.has(name) && data.length > 0 ? String.fromCharCode(data.charCodeAt(0) ^ 1) + data.slice(1) : data;
  }
}
