/*
 * NodeMCU's console UART, both ways, as the firmware handles it before Lua sees anything.
 *
 * Input is NodeMCU's input_readline (release branch, app/driver/input.c; dev-esp32's
 * components/lua/common/linput.c does the same): each byte is echoed as it is taken while echo is
 * on (uart.setup's sixth argument; on at every boot); CR or LF ends a line and echoes LF, and the
 * second byte of a CR LF or LF CR pair is dropped; BS and DEL take back a byte and echo "\b \b";
 * an empty line just prints the prompt again; a line reaching LUA_MAXINPUT (256) bytes with its LF
 * is thrown away silently and the bytes after start a new one, so at most 255 bytes make a line.
 *
 * Output is uart0_putc (app/driver/uart.c): "\n" goes out as "\r\n" and "\r" is dropped.
 */

const CR = 0x0d;
const LF = 0x0a;
const BS = 0x08;
const DEL = 0x7f;

/** NodeMCU's LUA_MAXINPUT (app/lua/luaconf.h): the input buffer's bytes, the ending LF included. */
export const LUA_MAXINPUT = 256;

export interface UartSinks {
  /** Bytes the chip sends back at once (the echo), before any translation. */
  echo(bytes: Buffer): void;
  /** A whole line for the Lua interpreter, without its ending (empty: only the prompt again). */
  line(bytes: Buffer): void;
}

export class NodemcuUartInput {
  /** uart.setup's echo; a boot turns it on again. */
  echo = true;
  private readonly buf = Buffer.alloc(LUA_MAXINPUT);
  private pos = 0;
  private last = 0;

  constructor(private readonly sinks: UartSinks) {}

  /** A reset: the line being typed is lost and echo is on again. */
  reset(): void {
    this.pos = 0;
    this.last = 0;
    this.echo = true;
  }

  feed(data: Buffer): void {
    const echoed: number[] = [];
    const flushEcho = () => {
      if (echoed.length) this.sinks.echo(Buffer.from(echoed.splice(0)));
    };
    for (const ch of data) {
      if ((ch === CR && this.last === LF) || (ch === LF && this.last === CR)) {
        this.last = 0;
        continue;
      }
      if (ch === DEL || ch === BS) {
        if (this.pos > 0) {
          if (this.echo) echoed.push(BS, 0x20, BS);
          this.pos--;
        }
        this.last = 0;
        continue;
      }
      this.last = ch;
      if (ch === CR || ch === LF) {
        if (this.echo) echoed.push(LF);
        flushEcho();
        this.sinks.line(Buffer.from(this.buf.subarray(0, this.pos)));
        this.pos = 0;
        continue;
      }
      if (this.echo) echoed.push(ch);
      if (this.pos + 1 >= LUA_MAXINPUT) this.pos = 0;
      this.buf[this.pos++] = ch;
    }
    flushEcho();
  }
}

/** What the UART puts on the wire for bytes the firmware writes: "\n" as "\r\n", no "\r". */
export function uartOut(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === LF) out.push(CR, LF);
    else if (b !== CR) out.push(b);
  }
  return Buffer.from(out);
}
