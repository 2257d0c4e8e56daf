/*
 * Espruino's console line discipline (2v29, jsinteractive.c: jsiHandleConsoleChar,
 * jsiHandleNewLine, jsiConsoleRemoveInputLine/ReturnInputLine), what EspruinoTools talks to:
 *
 * - typed characters are echoed; Enter runs the input once its brackets balance (else "\n:" and
 *   the input goes on), then prints `=result`, or `Uncaught ...`;
 * - DLE (0x10) at the start of a line turns echo off for that line: no echo, no `=result`;
 * - ESC LF is a newline that does not run; ESC [ sequences (cursor keys, EspruinoTools' line
 *   numbers) are swallowed; Ctrl-C clears the input line; Ctrl-E on an empty line says what it is;
 * - the prompt `>` goes away ("\r" ESC[J) before anything the code prints, and comes back, with
 *   the input so far, once the board is idle (returnPrompt).
 *
 * Packets (DLE SOH, 2v25+) are read whole and refused with NAK: EspruinoTools uses them only when
 * asked to. Ctrl-C cannot interrupt JavaScript that is running, as it would on the device.
 */
import { countBrackets } from "./espruino-brackets.ts";
import { formatResult } from "./espruino-format.ts";

export interface ConsoleIo {
  /** Bytes to the terminal (characters 0-255). */
  write(bytes: string): void;
  /** Runs a line in the root scope; throws what it throws. */
  evaluate(line: string): unknown;
  /** Whether the code asked for a restart (load, reset, E.reboot), which stops input until it is done. */
  restartPending(): boolean;
  /** What Ctrl-E on an empty line answers, e.g. "Espruino 2v29 ESP32". */
  identity: string;
}

type InputState = "none" | "dle" | "esc" | "esc-O" | "esc-[" | "esc-[n" | "packet-0" | "packet-1" | "packet-data";

export class EspruinoConsole {
  private line = "";
  /** inputLineRemoved: the prompt and input are not on the terminal now. */
  private removed = true;
  private echoOffForLine = false;
  private echoOff = false;
  private state: InputState = "none";
  private packetLeft = 0;

  constructor(private readonly io: ConsoleIo) {}

  private get echo(): boolean {
    return !this.echoOff && !this.echoOffForLine;
  }

  private get showLine(): boolean {
    return this.echo && !this.removed;
  }

  /** echo(0) / echo(1). */
  setEcho(on: boolean): void {
    this.echoOff = !on;
  }

  /** Console text, with "\n" sent as "\r\n" as jsiConsolePrintString does. */
  private out(text: string): void {
    this.io.write(text.replace(/\n/g, "\r\n"));
  }

  /** Feeds received bytes; returns how many were taken (it stops after a line that asked for a restart). */
  input(data: string): number {
    for (let i = 0; i < data.length; i++) {
      this.char(data.charCodeAt(i));
      if (this.io.restartPending()) return i + 1;
    }
    return data.length;
  }

  /** What the running code prints: the prompt goes, the text is printed, the prompt returns when idle. */
  print(text: string): void {
    this.removeInputLine();
    this.out(text + "\n");
  }

  /**
   * The interpreter restarts: the input goes, and the prompt comes back after. `greeting` is what
   * jsiSemiInit prints (the banner, or "" when it loads code from flash, then a newline);
   * undefined for load() with no file, which does not go through it.
   */
  restarted(greeting: string | undefined): void {
    this.line = "";
    this.state = "none";
    this.echoOffForLine = false;
    this.echoOff = false;
    if (greeting !== undefined) this.out(greeting + "\n");
    this.removed = true;
  }

  /** The end of an idle loop (jsiConsoleReturnInputLine): the prompt and the input so far come back. */
  returnPrompt(): void {
    if (!this.removed) return;
    this.removed = false;
    if (this.echo) this.out(">" + this.line.replace(/\n/g, "\n:"));
  }

  private removeInputLine(): void {
    if (this.removed) return;
    this.removed = true;
    if (!this.echo) return;
    const up = this.line.split("\n").length - 1;
    this.out("\x1B[A".repeat(up) + "\r\x1B[J");
  }

  private char(ch: number): void {
    const s = this.state;
    if (s === "packet-0") {
      this.packetLeft = ch << 8;
      this.state = "packet-1";
    } else if (s === "packet-1") {
      this.packetLeft = (this.packetLeft | ch) & 0x1fff;
      this.state = this.packetLeft > 0 ? "packet-data" : "none";
      if (this.packetLeft === 0) this.io.write("\x15");
    } else if (s === "packet-data") {
      if (--this.packetLeft === 0) {
        this.state = "none";
        this.io.write("\x15");
      }
    } else if (ch === 0) {
      this.state = "none";
    } else if (ch === 1) {
      if (s === "dle") {
        if (this.line === "") this.echoOffForLine = false;
        this.state = "packet-0";
      }
    } else if (ch === 3) {
      this.ctrlC();
    } else if (ch === 5) {
      if (this.line === "") this.out(this.io.identity + "\n");
    } else if (ch === 16) {
      if (this.line === "") this.echoOffForLine = true;
      this.state = "dle";
    } else if (ch === 27) {
      this.state = "esc";
    } else if (s === "esc") {
      this.state = ch === 79 ? "esc-O" : ch === 91 ? "esc-[" : "none";
      if (ch === 10) this.newLine(false);
    } else if (s === "esc-O") {
      this.state = "none";
    } else if (s === "esc-[") {
      this.state = ch >= 48 && ch <= 57 ? "esc-[n" : "none";
    } else if (s === "esc-[n") {
      if (ch < 48 || ch > 57) this.state = "none";
    } else {
      this.state = "none";
      if (ch === 8 || ch === 127) this.backspace();
      else if (ch === 13 || ch === 10) this.newLine(true);
      else if (ch >= 32 || ch === 9) this.append(ch === 9 ? "    " : String.fromCharCode(ch));
    }
  }

  private append(text: string): void {
    this.line += text;
    if (this.showLine) this.out(text);
  }

  private backspace(): void {
    if (this.line === "" || this.line.endsWith("\n")) return;
    this.line = this.line.slice(0, -1);
    if (this.showLine) this.out("\x08\x1B[J");
  }

  private ctrlC(): void {
    if (this.line === "") return;
    this.removeInputLine();
    this.line = "";
  }

  private newLine(execute: boolean): void {
    if (!execute || countBrackets(this.line) > 0) {
      if (this.showLine) this.out("\n:");
      this.line += "\n";
      return;
    }
    if (this.showLine) this.out("\n");
    if (!this.echoOffForLine) this.removed = true;
    const code = this.line.trimEnd();
    this.line = "";
    let value: unknown;
    let error: unknown;
    let failed = false;
    try {
      value = this.io.evaluate(code);
    } catch (e) {
      failed = true;
      error = e;
    }
    if (this.echo && !failed && code !== "") this.out("=" + formatResult(value) + "\n");
    if (failed) {
      this.removeInputLine();
      this.out(`Uncaught ${describeError(error)}\n`);
    }
    this.echoOffForLine = false;
  }
}

export function describeError(e: unknown): string {
  if (e !== null && typeof e === "object" && "name" in e && "message" in e) return `${String(e.name)}: ${String(e.message)}`;
  return formatResult(e);
}
