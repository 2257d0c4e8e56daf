/*
 * Calls over NodeMCU's REPL, one line at a time: a line is sent only once the one before has been
 * answered (NodeMCU's UART buffer holds 256 bytes and its REPL runs one line a task), and each call
 * has a number of its own that its answer carries ("##fl NUMBER ..."), so a late answer to an
 * earlier try is never taken for this one. Other lines (the echo, the app's log, prompts) pass by.
 */
import { MAX_LINE, RESYNC_LINE } from "./nodemcu-lua-helper.ts";
import type { NodemcuSerial } from "./nodemcu-serial.ts";

export type CallResult =
  | { kind: "answer"; words: string[] }
  /** The chunk failed: a syntax error from a garbled line, or a runtime error; text is the REPL's message. */
  | { kind: "error"; text: string }
  /** The REPL waits for more of the chunk (">> "): the line lost its end on the way. */
  | { kind: "more" }
  | { kind: "timeout" };

const ANSWER = /##fl (\d+)(?: (.*))?$/;

export class NodemcuSession {
  private id = 0;

  constructor(private readonly serial: NodemcuSerial, private readonly lineTimeoutMs: number) {}

  /** Sends the line code(number) makes and waits for what comes of it; seen gets the other whole lines that arrive meanwhile. */
  async call(code: (id: number) => string, timeoutMs = this.lineTimeoutMs, seen?: string[]): Promise<CallResult> {
    const id = ++this.id;
    const line = code(id);
    if (line.length > MAX_LINE) throw new Error(`internal: a REPL line of ${line.length} bytes (at most ${MAX_LINE})`);
    await this.serial.write(line + "\n");
    const result = await this.serial.next<CallResult>((text, partial) => {
      if (partial) return /(^|> )>> $/.test(text) ? { kind: "more" } : undefined;
      const m = ANSWER.exec(text);
      if (m !== null && Number(m[1]) === id) return { kind: "answer", words: (m[2] ?? "").split(" ").filter((w) => w !== "") };
      seen?.push(text);
      const err = text.indexOf("Lua error: ");
      if (err >= 0) return { kind: "error", text: text.slice(err + 11).trim() };
      return undefined;
    }, timeoutMs);
    return result ?? { kind: "timeout" };
  }

  /** A call whose answer must begin with verb; anything else is returned as a failure text. */
  async expect(code: (id: number) => string, verb: string): Promise<{ ok: true; words: string[] } | { ok: false; why: string; result: CallResult }> {
    const r = await this.call(code);
    if (r.kind === "answer" && r.words[0] === verb) return { ok: true, words: r.words.slice(1) };
    return { ok: false, why: describe(r), result: r };
  }

  /**
   * Brings the REPL back to a fresh prompt and checks it answers: a line that ends any chunk left
   * open, then a probe, up to `tries` times. False when the board never answered.
   */
  async resync(tries = 3, timeoutMs = this.lineTimeoutMs): Promise<boolean> {
    for (let i = 0; i < tries; i++) {
      await this.serial.write(RESYNC_LINE + "\n");
      // Its own error first, so that it is not taken for the probe's.
      await this.serial.next((line) => (line.includes("Lua error: ") ? true : undefined), timeoutMs);
      const r = await this.call((id) => `print("\\35#fl ${id} sync")`, timeoutMs);
      if (r.kind === "answer" && r.words[0] === "sync") return true;
    }
    return false;
  }
}

/** What went wrong with a call, in words (never the line's data). */
export function describe(r: CallResult): string {
  switch (r.kind) {
    case "answer":
      return `the board answered "${r.words.join(" ")}"`;
    case "error":
      return `the REPL reported: ${r.text}`;
    case "more":
      return "the line arrived cut short (the REPL waited for more)";
    case "timeout":
      return "no answer";
  }
}
