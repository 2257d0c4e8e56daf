import { spawn } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byteLiteral, FIXTURE_MODES, fixtureNames, fixtureText, REAL_USAGE_FILE, type FixtureMode } from "../sim/espruino/jsvar-fixtures.ts";

/*
 * Measures the JsVar calibration fixtures on a real Espruino interpreter and writes
 * test/fixtures/jsvars/real-usage.json. Run by hand (the suite never runs a real interpreter):
 *
 *   npx tsx tools/measure-jsvars.ts PATH/TO/espruino [--note "how it was built"]
 *
 * Each fixture boots as a board would hold it, then process.memory().usage is typed at the REPL
 * (the Linux build reads its console from stdin, which must stay open):
 *   ram    the fixture runs as an uploaded file (after `delete global.quit`, a Linux-only native);
 *   flash  an installer writes it to Storage as .bootcde and calls load(), which resets the
 *          interpreter and runs it from flash, as aisle's installer does;
 *   flash-pretokenised  the same with the text pretokenised by EspruinoTools, as the build stores it.
 */

export const QUERY = 'print("@@U"+process.memory().usage)\n';

/** Runs the interpreter on a file in a fresh directory, types the query once settled, and returns what it printed. */
export function runInterpreter(bin: string, file: string, settleMs = 1000, query = QUERY, answer = /@@U(\d+)/): Promise<{ out: string; usage: number | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), "aisle-jsvars-"));
  writeFileSync(join(dir, "run.js"), file, "latin1");
  return new Promise((resolve) => {
    const p = spawn(bin, ["run.js"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let usage: number | undefined;
    const done = setTimeout(() => p.kill("SIGKILL"), settleMs + 10_000);
    const onData = (d: Buffer) => {
      out += d.toString("latin1");
      const m = answer.exec(out);
      if (m && usage === undefined) {
        usage = Number(m[1]);
        p.kill("SIGKILL");
      }
    };
    p.stdout.on("data", onData);
    p.stderr.on("data", onData);
    const ask = setTimeout(() => p.stdin.write(query), settleMs);
    p.on("exit", () => {
      clearTimeout(done);
      clearTimeout(ask);
      rmSync(dir, { recursive: true, force: true });
      resolve({ out, usage });
    });
  });
}

/** The file the interpreter runs for a fixture's text in a mode. */
export function bootFile(text: string, mode: FixtureMode): string {
  return mode === "ram" ? `delete global.quit;\n${text}` : `require("Storage").write(".bootcde",${byteLiteral(text)});\nload();\n`;
}

async function main(): Promise<void> {
  const bin = process.argv[2];
  const noteAt = process.argv.indexOf("--note");
  if (!bin) throw new Error("usage: tools/measure-jsvars.ts PATH/TO/espruino [--note TEXT]");
  const info = await runInterpreter(bin, "setInterval(function(){},1e6);\n", 500, 'print("@@I"+JSON.stringify([process.version,process.env.BOARD,process.memory().total,process.memory().blocksize]))\n', /@@I\[.*\]\r?\n/);
  const [version, board, total, blocksize] = JSON.parse(/@@I(\[.*\])/.exec(info.out)?.[1] ?? "[]") as [string, string, number, number];
  const usage: Record<string, Partial<Record<FixtureMode, number>>> = {};
  for (const name of fixtureNames()) {
    usage[name] = {};
    for (const mode of FIXTURE_MODES) {
      const r = await runInterpreter(bin, bootFile(await fixtureText(name, mode), mode));
      if (r.usage === undefined || /Uncaught|ERROR|OUT OF MEMORY/.test(r.out)) throw new Error(`${name} (${mode}): no usage reported:\n${r.out.slice(-1500)}`);
      usage[name][mode] = r.usage;
      process.stdout.write(`${name} ${mode}: ${r.usage}\n`);
    }
  }
  const result = {
    interpreter: { version, board, total, blocksize, note: noteAt > 0 ? process.argv[noteAt + 1] : "" },
    measured: new Date().toISOString().slice(0, 10),
    method: "tools/measure-jsvars.ts: process.memory().usage typed at the REPL once the fixture has booted",
    query: QUERY.trim(),
    usage,
  };
  const tmp = `${REAL_USAGE_FILE}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(result, null, 2) + "\n");
  renameSync(tmp, REAL_USAGE_FILE);
}

if (process.argv[1]?.endsWith("measure-jsvars.ts")) await main();
