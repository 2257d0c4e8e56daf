/*
 * Making the uploaded files live, then the restart. The order keeps the board either as it was or
 * plainly unflashed: first a marker file (aisle.unflashed), then init.lua goes, so from here a
 * reset boots to the bare REPL ("cannot open init.lua") and runs nothing; then each other file
 * replaces its old self; init.lua comes back last, and the marker goes. A flash cut short anywhere
 * in between leaves no init.lua and the marker: nothing half-new runs, and file.list() says why.
 */
import { FlashError, type BoardState, type FlashFile } from "./nodemcu-flash-types.ts";
import { luaLiteral, TEMP_PREFIX, UNFLASHED_MARKER } from "./nodemcu-lua-helper.ts";
import type { NodemcuSerial } from "./nodemcu-serial.ts";
import type { NodemcuSession } from "./nodemcu-session.ts";
import type { TransferContext } from "./nodemcu-transfer.ts";

const BOOT_FILE = "init.lua";
const MARKER_TEXT = "aisle flash: files were being replaced and the flash did not finish; flash this board again.\n";

/**
 * One step of the rename, sent again when its line was garbled or its answer lost: each is
 * idempotent (mv of a file already moved is done). failed: the board's state when it said the step
 * failed; unanswered: when it never said.
 */
async function step(ctx: TransferContext, file: string, code: (id: number) => string, verb: string, what: string, failed: BoardState, unanswered: BoardState): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = await ctx.session.expect(code, verb);
    if (r.ok && r.words[0] === "ok") return;
    if (r.ok) throw new FlashError("rename", file, `${what}: the board said it failed`, failed);
    if (attempt >= ctx.retries) throw new FlashError("rename", file, `${what}: ${r.why}, ${attempt + 1} times`, unanswered);
    if (r.result.kind === "more" || r.result.kind === "timeout") await ctx.session.resync();
  }
}

/** Renames every file's temporary copy over it, init.lua last, inside the marker. */
export async function commitFiles(ctx: TransferContext, files: FlashFile[]): Promise<void> {
  const names = files.map((f) => f.name);
  const ordered = [...names.filter((n) => n !== BOOT_FILE), ...names.filter((n) => n === BOOT_FILE)];
  const boot = names.includes(BOOT_FILE);
  await step(ctx, names[0], (id) => `_af.mk(${id},${luaLiteral(UNFLASHED_MARKER)},${luaLiteral(MARKER_TEXT)})`, "mk", `writing ${UNFLASHED_MARKER}`, "unchanged", "unchanged");
  if (boot) await step(ctx, BOOT_FILE, (id) => `_af.rm(${id},${luaLiteral(BOOT_FILE)})`, "rm", `removing the old ${BOOT_FILE}`, "unchanged", "unknown");
  let done = 0;
  for (const name of ordered) {
    ctx.progress("rename", name, done, ordered.length);
    await step(ctx, name, (id) => `_af.mv(${id},${luaLiteral(TEMP_PREFIX + name)},${luaLiteral(name)})`, "mv", `renaming ${TEMP_PREFIX}${name} to ${name}`,
      boot ? "unflashed" : "unknown", boot && name !== BOOT_FILE ? "unflashed" : "unknown");
    ctx.progress("rename", name, ++done, ordered.length);
  }
  await step(ctx, ordered[ordered.length - 1], (id) => `_af.rm(${id},${luaLiteral(UNFLASHED_MARKER)})`, "rm", `removing ${UNFLASHED_MARKER}`, "flashed", "flashed");
}

/** What on a boot says the app did not start: the build's init.lua, NodeMCU's own, a panic. */
const BOOT_FAILURE = /E boot failed|cannot open init\.lua|PANIC|Lua error/;

/**
 * Restarts the board and waits for it to come back: its banner, then its REPL answering once
 * init.lua has run. Returns what it printed in between; throws FlashError (restart) when it does
 * not come back or init.lua reports a failure.
 */
export async function restartBoard(ctx: TransferContext, serial: NodemcuSerial, session: NodemcuSession, bootTimeoutMs: number): Promise<string[]> {
  ctx.progress("restart", BOOT_FILE, 0, 1);
  serial.drain();
  await serial.write("node.restart()\n");
  const banner = await serial.next((line) => (line.includes("powered by Lua") ? line : undefined), bootTimeoutMs);
  if (banner === undefined) throw new FlashError("restart", BOOT_FILE, `no boot banner within ${bootTimeoutMs} ms of node.restart()`, "flashed");
  const printed: string[] = [];
  let answered = false;
  const deadline = Date.now() + bootTimeoutMs;
  while (!answered && Date.now() < deadline) {
    const r = await session.call((id) => `print("\\35#fl ${id} up")`, Math.min(2000, Math.max(1, deadline - Date.now())), printed);
    answered = r.kind === "answer";
  }
  if (!answered) throw new FlashError("restart", BOOT_FILE, `the REPL did not answer within ${bootTimeoutMs} ms of the boot banner`, "flashed");
  const failure = printed.find((l) => BOOT_FAILURE.test(l));
  if (failure !== undefined) throw new FlashError("restart", BOOT_FILE, `the board booted but the app did not start: ${failure.trim()}`, "flashed");
  ctx.progress("restart", BOOT_FILE, 1, 1);
  return printed;
}
