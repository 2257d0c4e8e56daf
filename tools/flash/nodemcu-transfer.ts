/*
 * One file to a NodeMCU board over its REPL, under a temporary name: written in chunks, each
 * checked on the board against the Adler-32 sums sent with it before it is written (a garbled
 * chunk is sent again), then read back from the board's flash and checked whole.
 */
import { FlashError, type FlashFile, type FlashStep } from "./nodemcu-flash-types.ts";
import { adler, CHUNK_CHARS, luaChunk, luaLiteral, TEMP_PREFIX } from "./nodemcu-lua-helper.ts";
import { describe, type CallResult, type NodemcuSession } from "./nodemcu-session.ts";

export interface TransferContext {
  session: NodemcuSession;
  retries: number;
  progress: (step: FlashStep, file: string, done: number, total: number) => void;
}

export interface UploadStats {
  chunks: number;
  /** Lines sent again: a chunk the board found garbled, a line the REPL could not run, a lost answer. */
  resent: number;
}

/** What went wrong, without the REPL's own text when the file is secret (it can quote the line). */
function why(r: CallResult, secret: boolean): string {
  return secret && r.kind === "error" ? "the REPL could not run the line (its message is withheld: the file is secret)" : describe(r);
}

/** Writes file under its temporary name; throws FlashError (upload) once a chunk has failed retries + 1 times. */
export async function uploadFile(ctx: TransferContext, file: FlashFile, stats: UploadStats): Promise<void> {
  const temp = TEMP_PREFIX + file.name;
  const opened = await ctx.session.expect((id) => `_af.o(${id},${luaLiteral(temp)})`, "o");
  if (!opened.ok || opened.words[0] !== "ok") {
    throw new FlashError("upload", file.name, `could not create ${temp} on the board: ${opened.ok ? "file.open failed" : opened.why}`);
  }
  const total = file.bytes.length;
  let at = 0;
  let k = 1;
  ctx.progress("upload", file.name, 0, total);
  while (at < total) {
    const chunk = luaChunk(file.bytes, at, CHUNK_CHARS);
    const [a, b] = adler(file.bytes.subarray(at, chunk.end));
    let last = "";
    for (let attempt = 0; ; attempt++) {
      if (attempt > ctx.retries) throw new FlashError("upload", file.name, `chunk ${k} (bytes ${at}-${chunk.end - 1}) failed ${attempt} times; last: ${last}`);
      if (attempt > 0) stats.resent++;
      const r = await ctx.session.call((id) => `_af.w(${id},${k},"${chunk.text}",${a},${b})`);
      if (r.kind === "answer" && r.words[0] === "w") {
        if (r.words[1] === "ok") break;
        if (r.words[1] === "fail") throw new FlashError("upload", file.name, `the board could not write chunk ${k} (its flash may be full)`);
        if (r.words[1] === "gap") throw new FlashError("upload", file.name, `internal: the board expected another chunk than ${k}`);
        last = "the board's checksum of the chunk differed (garbled on the way)";
        continue;
      }
      last = why(r, file.secret === true);
      // A line cut short leaves the REPL inside a chunk, a lost one says nothing: start afresh.
      if (r.kind === "more" || r.kind === "timeout") await ctx.session.resync();
    }
    stats.chunks++;
    at = chunk.end;
    k++;
    ctx.progress("upload", file.name, at, total);
  }
  const closed = await ctx.session.expect((id) => `_af.c() _af.say(${id},"c")`, "c");
  if (!closed.ok) throw new FlashError("upload", file.name, `could not close ${temp}: ${closed.why}`);
}

/** Reads the temporary file back on the board; resolves to a mismatch's description, or undefined when it is right. */
export async function verifyFile(ctx: TransferContext, file: FlashFile): Promise<string | undefined> {
  const temp = TEMP_PREFIX + file.name;
  const total = file.bytes.length;
  const opened = await ctx.session.expect((id) => `_af.vo(${id},${luaLiteral(temp)})`, "vo");
  if (!opened.ok || opened.words[0] !== "ok") return `could not open ${temp} to read it back: ${opened.ok ? "not on the board" : opened.why}`;
  ctx.progress("verify", file.name, 0, total);
  for (;;) {
    const r = await ctx.session.expect((id) => `_af.vr(${id})`, "v");
    if (!r.ok) throw new FlashError("verify", file.name, `reading ${temp} back: ${r.why}`);
    const [length, a, b] = r.words.slice(0, 3).map(Number);
    ctx.progress("verify", file.name, Math.min(length, total), total);
    if (r.words[3] === "more" && length <= total) continue;
    const [ea, eb] = adler(file.bytes);
    if (length !== total) return `the board holds ${length} bytes of ${total}`;
    if (a !== ea || b !== eb) return `the board's Adler-32 is ${a}/${b}, the file's ${ea}/${eb}`;
    return undefined;
  }
}
