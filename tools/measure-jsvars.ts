import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootJsVars, calibratedShelfStore } from "../sim/espruino/jsvar-app.ts";
import { byteLiteral, FIXTURE_MODES, fixtureNames, fixtureText, REAL_USAGE_FILE, type FixtureMode } from "../sim/espruino/jsvar-fixtures.ts";
import { loadBoard } from "./build/board-file.ts";
import { compileApp } from "./build/build.ts";
import { REPO } from "./paths.ts";
import type { AppName } from "./build/entry.ts";

/*
 * Measures JsVars on a real Espruino interpreter and writes test/fixtures/jsvars/real-usage.json.
 * Run by hand (the suite never runs a real interpreter):
 *
 *   npx tsx tools/measure-jsvars.ts PATH/TO/espruino [--note "how it was built"] [--apps]
 *
 * Each program boots as a board would hold it, then process.memory().usage is typed at the REPL
 * (the Linux build reads its console from stdin, which must stay open):
 *   ram    the fixture runs as an uploaded file (after `delete global.quit`, a Linux-only native);
 *   flash  an installer writes it to Storage as .bootcde and calls load(), which resets the
 *          interpreter and runs it from flash, as aisle's installer does;
 *   flash-pretokenised  the same with the text pretokenised by EspruinoTools, as the build stores it.
 * With --apps, the apps are built for espruino-esp8266 from the tree as it is, installed, then the interpreter is started again on
 * the same flash, as a board powers on: it runs .bootcde before the REPL answers. The Linux
 * build's REPL adds two natives a board lacks (quit, interrupt); they are measured and taken off.
 */

export const QUERY = 'print("@@U"+process.memory().usage)\n';
/** The answer, up to its line's end: output comes in chunks, and "@@U1" may be the start of "@@U135". */
const USAGE_LINE = /@@U(\d+)\r?\n/;

interface Run {
  out: string;
  usage: number | undefined;
}

/** Runs the interpreter in dir (on run.js, or as a REPL when file is undefined), types the query once settled, and returns what it printed. */
function runInterpreter(bin: string, dir: string, file: string | undefined, settleMs: number, query = QUERY, answer = USAGE_LINE): Promise<Run> {
  if (file !== undefined) writeFileSync(join(dir, "run.js"), file, "latin1");
  return new Promise((resolve) => {
    const p = spawn(bin, file === undefined ? [] : ["run.js"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
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
    const ask = setTimeout(() => (query === "" ? p.kill("SIGKILL") : p.stdin.write(query)), settleMs);
    p.on("exit", () => {
      clearTimeout(done);
      clearTimeout(ask);
      resolve({ out, usage });
    });
  });
}

async function inFreshDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "aisle-jsvars-"));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A file run once, then asked (it must keep a timer, or the Linux build exits). */
export function measureFile(bin: string, file: string, settleMs = 1000, query = QUERY, answer = USAGE_LINE): Promise<Run> {
  return inFreshDir((dir) => runInterpreter(bin, dir, file, settleMs, query, answer));
}

/**
 * An installer run once (after a run that writes the store's files: the installer alone nearly
 * fills 1,700 JsVars), then the interpreter started again on its flash, as a board powers on, and asked.
 */
export function measurePowerOn(bin: string, installer: string, store: Map<string, string> = new Map(), settleMs = 1500, query = QUERY, answer = USAGE_LINE): Promise<Run> {
  return inFreshDir(async (dir) => {
    if (store.size > 0) await runInterpreter(bin, dir, [...store].map(([n, t]) => `require("Storage").write(${JSON.stringify(n)},${byteLiteral(t)});\n`).join(""), settleMs, "");
    const install = await runInterpreter(bin, dir, installer, settleMs, "");
    if (/Uncaught|ERROR|OUT OF MEMORY/.test(install.out)) return install;
    return runInterpreter(bin, dir, undefined, settleMs, query, answer);
  });
}

/** The file the interpreter runs for a fixture's text in a mode. */
export function bootFile(text: string, mode: FixtureMode): string {
  return mode === "ram" ? `delete global.quit;\n${text}` : `require("Storage").write(".bootcde",${byteLiteral(text)});\nload();\n`;
}

/** The commit the apps were built from, and whether the tree held changes beyond it. */
function treeState(): string {
  const git = (...a: string[]) => execFileSync("git", a, { cwd: REPO, encoding: "utf8" }).trim();
  const dirty = git("status", "--porcelain", "--", "firmware", "hal", "tools/build", "boards") !== "";
  return `${git("rev-parse", "--short=12", "HEAD")}${dirty ? " with uncommitted changes to firmware, hal, tools/build or boards" : ""}`;
}

async function main(): Promise<void> {
  const bin = process.argv[2];
  const noteAt = process.argv.indexOf("--note");
  if (!bin || bin.startsWith("--")) throw new Error("usage: tools/measure-jsvars.ts PATH/TO/espruino [--note TEXT] [--apps]");
  const info = await measureFile(bin, "setInterval(function(){},1e6);\n", 500, 'print("@@I"+JSON.stringify([process.version,process.env.BOARD,process.memory().total,process.memory().blocksize]))\n', /@@I\[.*\]\r?\n/);
  const [version, board, total, blocksize] = JSON.parse(/@@I(\[.*\])/.exec(info.out)?.[1] ?? "[]") as [string, string, number, number];
  const usage: Record<string, Partial<Record<FixtureMode, number>>> = {};
  const must = (r: Run, what: string): number => {
    if (r.usage === undefined || /Uncaught|ERROR|OUT OF MEMORY/.test(r.out)) throw new Error(`${what}: no usage reported:\n${r.out.slice(-1500)}`);
    process.stdout.write(`${what}: ${r.usage}\n`);
    return r.usage;
  };
  for (const name of fixtureNames()) {
    usage[name] = {};
    for (const mode of FIXTURE_MODES) usage[name][mode] = must(await measureFile(bin, bootFile(await fixtureText(name, mode), mode)), `${name} ${mode}`);
  }
  // What the Linux REPL adds at power-on: the same fixture booted both ways.
  const empty = await fixtureText("empty", "flash");
  const replNatives = must(await measurePowerOn(bin, bootFile(empty, "flash")), "empty power-on") - usage.empty.flash!;
  const apps: Record<string, { real: number; model: number; app_bytes: number | undefined }> = {};
  const appRuns = process.argv.includes("--apps") ? [["shelf", new Map()], ["gate", new Map()], ["shelf", calibratedShelfStore(loadBoard("espruino-esp8266").shelf.cells.length)]] : [];
  for (const [app, store] of appRuns as [AppName, Map<string, string>][]) {
    const built = await compileApp("espruino-esp8266", app);
    const bundle = built.files[`aisle-${app}.js`];
    const key = `espruino-esp8266/${app}${store.size ? " calibrated" : ""}`;
    const real = must(await measurePowerOn(bin, bundle, store), key) - replNatives;
    apps[key] = { real, model: bootJsVars(bundle, loadBoard("espruino-esp8266").memory.jsvars!, store).usage, app_bytes: built.footprint.app_bytes };
  }
  const result = {
    interpreter: { version, board, total, blocksize, note: noteAt > 0 ? process.argv[noteAt + 1] : "" },
    measured: new Date().toISOString().slice(0, 10),
    method: "tools/measure-jsvars.ts: process.memory().usage typed at the REPL once the program has booted",
    query: QUERY.trim(),
    usage,
    repl_natives_at_power_on: replNatives,
    ...(appRuns.length ? { apps, apps_built_from: treeState() } : {}),
  };
  const tmp = `${REAL_USAGE_FILE}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(result, null, 2) + "\n");
  renameSync(tmp, REAL_USAGE_FILE);
}

if (process.argv[1]?.endsWith("measure-jsvars.ts")) await main();
