import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A Lua on the PATH (lua5.1, lua5.3, luajit), or the path of one (the 32-bit Lua 5.1 the heap budget is measured on). */
export type LuaInterpreter = string;

const VBOARD = join(dirname(fileURLToPath(import.meta.url)), "vboard.lua");

export interface LuaBoardResult {
  lines: string[];
  /** Heap the app holds after boot with its code in flash (LFS). */
  heapAfterBootBytes: number | undefined;
  /** Heap the app's compiled functions take when loaded into RAM instead. */
  codeBytes: number | undefined;
  panic: string | undefined;
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs sim/nodemcu/vboard.lua under a real Lua interpreter and feeds it commands (see the
 * protocol at the top of vboard.lua). Commands come from a generator, so a long trace streams
 * through the pipe with backpressure instead of sitting in memory. A command is a line, or
 * bytes holding whole lines, each with its newline (a long replay's rows), written as they are.
 */
export async function runLuaBoard(interpreter: LuaInterpreter, commands: Iterable<string | Uint8Array>): Promise<LuaBoardResult> {
  const child = spawn(interpreter, [VBOARD], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let heap: number | undefined;
  let code: number | undefined;
  let panic: string | undefined;
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "ENOENT" ? new Error(`${interpreter} is not installed (apt-get install ${interpreter === "luajit" ? "luajit" : interpreter})`) : e));
  });
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (line.startsWith("~heap ")) heap = Number(line.slice(6));
    else if (line.startsWith("~code ")) code = Number(line.slice(6));
    else if (line.startsWith("~panic ")) panic = line.slice(7);
    else if (line !== "~end") lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  await spawned;
  const stdin = child.stdin;
  stdin.on("error", () => {});
  let chunk = "";
  try {
    for (const cmd of commands) {
      let full = false;
      if (typeof cmd === "string") {
        chunk += cmd + "\n";
        if (chunk.length < 65536) continue;
        full = !stdin.write(chunk);
      } else {
        if (chunk !== "") stdin.write(chunk);
        full = !stdin.write(cmd);
      }
      chunk = "";
      // The board may stop early (a panic): stop feeding it rather than wait for a drain that never comes.
      if (full && (await Promise.race([once(stdin, "drain").then(() => false), exited.then(() => true)]))) break;
    }
  } catch (e) {
    // The commands failed (a malformed row deep in a streamed trace): the board goes with them.
    child.kill();
    await exited;
    throw e;
  }
  stdin.end(chunk);
  const exitCode = await exited;
  return { lines, heapAfterBootBytes: heap, codeBytes: code, panic, exitCode, stderr };
}
