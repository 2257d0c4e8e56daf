import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkDialect, DialectError } from "../dialect/check.ts";
import { REPO } from "../paths.ts";
import { boardConstants, loadBoard, type BoardFile, type ConstantOptions } from "./board-file.ts";
import { type AppName, portFor, writeEntry } from "./entry.ts";
import { espruinoBundle } from "./espruino-bundle.ts";
import { luaBundle } from "./lua-bundle.ts";
import { espruinoBoot0, otaInitLua } from "./ota-loaders.ts";
import { bootJsVars } from "../../sim/espruino/jsvar-app.ts";
import { deviceConfigRecord } from "../../sim/live/live-shelf.ts";
import { bootLuaHeap, footprintInterpreters } from "../../sim/runners/lua-boot.ts";
import { DEVICE_RECORD } from "../../firmware/core/device-config.ts";
import type { BoardConstants } from "../../hal/board.ts";

export interface Footprint {
  board: string;
  app: AppName;
  platform: "espruino" | "nodemcu";
  lua: string | null;
  /** The bytes that go to the device: the one JS file, or init.lua plus the Lua bundle. */
  bundle_bytes: number;
  /** Espruino: the minified app the installer stores in flash (it travels compressed). */
  app_bytes?: number;
  /** Espruino: JsVars in use once a freshly flashed board has booted, as the virtual board counts them (docs/footprint.md). */
  jsvars_after_boot?: number;
  /**
   * NodeMCU: the Lua heap the app holds once a freshly flashed board has booted, with its code in
   * flash (LFS), under each Lua it runs on (a Lua 5.1 bundle runs on both, a 5.3 one on 5.3 only):
   * lua5.1 is a 32-bit one, as the ESP8266's, when scripts/lua32.sh has built it (lua51_bits
   * says); lua5.3 runs on this 64-bit host and overstates a 32-bit ESP32.
   */
  lua_heap_after_boot_bytes?: { "lua5.1"?: number; "lua5.3": number };
  lua51_bits?: 32 | 64;
  files: Record<string, number>;
  link?: "mqtt";
  budget: BoardFile["budget"];
}

export interface BuildOutput {
  dir: string;
  files: Record<string, string>;
  footprint: Footprint;
}

export class BudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BudgetError";
  }
}

export function bundleFileName(board: BoardFile, app: AppName): string {
  return board.platform === "espruino" ? `aisle-${app}.js` : `aisle-${app}.lua`;
}

/* On MQTT, init.lua is also the boot loader of bundle updates (tools/build/ota-loaders.ts): the file names stay what aisle flash uploads. */
function initLua(board: BoardFile, app: AppName, mqtt: boolean): string {
  if (mqtt) return otaInitLua(board.id, board.mcu, app, bundleFileName(board, app));
  return `-- aisle: boots the ${app} app on ${board.id} (written by aisle build).\n` +
    `-- An error stops here instead of rebooting in a loop, so the REPL stays reachable.\n` +
    `local ok, err = pcall(dofile, "${bundleFileName(board, app)}")\n` +
    `if not ok then print("E boot failed: " .. tostring(err)) end\n`;
}

/** A name for a board and app built with the given replay shape (extra cells, lanes, another rate). */
export function buildTag(boardId: string, app: AppName, opts: ConstantOptions): string {
  return `${boardId}-${app}${opts.link === "mqtt" ? "-mqtt" : ""}${opts.cells ? `-c${opts.cells}` : ""}${opts.gateLanes ? `-g${opts.gateLanes}` : ""}${opts.rateSps ? `-r${opts.rateSps}` : ""}`;
}

/** Checks the dialect, bundles, and checks the budget; writes nothing. */
export async function compileApp(boardId: string, app: AppName, opts: ConstantOptions = {}): Promise<{ board: BoardFile; files: Record<string, string>; footprint: Footprint }> {
  const board = loadBoard(boardId);
  const constants = boardConstants(board, opts);
  const tag = buildTag(board.id, app, opts);
  const port = portFor(board);
  const entry = writeEntry(port, app, constants, tag, opts.link);
  const problems = await checkDialect([entry], port);
  if (problems.length) throw new DialectError(problems);
  const files: Record<string, string> = {};
  let appBytes: number | undefined;
  if (board.platform === "espruino") {
    const bundled = await espruinoBundle(entry, app, opts.link === "mqtt" ? espruinoBoot0() : undefined);
    files[bundleFileName(board, app)] = bundled.installer;
    appBytes = bundled.appBytes;
  } else {
    files["init.lua"] = initLua(board, app, opts.link === "mqtt");
    files[bundleFileName(board, app)] = luaBundle(entry, board.lua!, bundleFileName(board, app), port);
  }
  const sizes = Object.fromEntries(Object.entries(files).map(([n, t]) => [n, Buffer.byteLength(t)]));
  const bundleBytes = Object.values(sizes).reduce((a, b) => a + b, 0);
  const mqtt = opts.link === "mqtt";
  const budget = (mqtt ? board.budget_mqtt : undefined) ?? board.budget;
  const budgetKey = mqtt && board.budget_mqtt ? "budget_mqtt" : "budget";
  const name = `${board.id}/${app}${mqtt ? " on MQTT" : ""}`;
  const footprint: Footprint = { board: board.id, app, ...(mqtt ? { link: "mqtt" } : {}), platform: board.platform, lua: board.lua ?? null, bundle_bytes: bundleBytes, ...(appBytes !== undefined ? { app_bytes: appBytes } : {}), files: sizes, budget };
  if (!opts.cells && !opts.gateLanes && !opts.rateSps && bundleBytes > budget.bundle_bytes) {
    throw new BudgetError(`${name}: the bundle is ${bundleBytes} bytes, over the board's budget of ${budget.bundle_bytes} (${budgetKey}.bundle_bytes in the board file)`);
  }
  if (board.platform === "espruino" && !opts.cells && !opts.gateLanes && !opts.rateSps) {
    const mem = bootJsVars(files[bundleFileName(board, app)], board.memory.jsvars!);
    footprint.jsvars_after_boot = mem.usage;
    const limit = budget.jsvars_after_boot;
    if (limit !== undefined && mem.usage > limit) {
      throw new BudgetError(`${name}: ${mem.usage} JsVars in use after boot, over the board's budget of ${limit} (${budgetKey}.jsvars_after_boot in the board file); most held by ${mem.top.slice(0, 3).map(([n, v]) => `${n} (${v})`).join(", ")}`);
    }
  }
  if (board.platform === "nodemcu" && !opts.cells && !opts.gateLanes && !opts.rateSps) {
    await measureLuaHeap(board, constants, app, files, mqtt, footprint);
    const limit = budget.lua_heap_after_boot_bytes;
    const own = footprint.lua_heap_after_boot_bytes![board.lua === "5.3" ? "lua5.3" : "lua5.1"]!;
    // A 64-bit Lua 5.1's figure says nothing of a 32-bit chip's heap: no verdict without the 32-bit one.
    const comparable = board.lua === "5.3" || footprint.lua51_bits === 32;
    if (limit !== undefined && comparable && own > limit) {
      throw new BudgetError(`${name}: ${own} bytes of Lua heap in use after boot, over the board's budget of ${limit} (${budgetKey}.lua_heap_after_boot_bytes in the board file)`);
    }
  }
  return { board, files, footprint };
}

/** Boots the NodeMCU build as flashed (an MQTT build with the device record flashing writes) under lua5.1 and lua5.3. */
async function measureLuaHeap(board: BoardFile, constants: BoardConstants, app: AppName, files: Record<string, string>, mqtt: boolean, footprint: Footprint): Promise<void> {
  const store = new Map<string, Buffer>();
  if (mqtt) store.set(DEVICE_RECORD, Buffer.from(deviceConfigRecord({ deviceId: board.id.slice(0, 16), brokerUrl: "mqtt://127.0.0.1:1883", key: Buffer.alloc(32, 1) }), "latin1"));
  const lua = footprintInterpreters();
  const input = { board, constants, app, files, store };
  const lua53 = (await bootLuaHeap(input, lua.lua53)).heapAfterBootBytes;
  if (board.lua === "5.3") {
    footprint.lua_heap_after_boot_bytes = { "lua5.3": lua53 };
    return;
  }
  footprint.lua_heap_after_boot_bytes = { "lua5.1": (await bootLuaHeap(input, lua.lua51)).heapAfterBootBytes, "lua5.3": lua53 };
  footprint.lua51_bits = lua.lua51Is32Bit ? 32 : 64;
}

/** Replaces dir with the given files in one rename, so a failed build never leaves half a bundle. */
function writeDirAtomically(dir: string, files: Record<string, string>): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // Another process built the same thing at the same moment: keep theirs.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw e;
  }
}

export async function buildApp(boardId: string, app: AppName, outDir?: string, opts: ConstantOptions = {}): Promise<BuildOutput> {
  const { board, files, footprint } = await compileApp(boardId, app, opts);
  const dir = outDir ?? join(REPO, "build", board.id, app);
  writeDirAtomically(dir, { ...files, "footprint.json": JSON.stringify(footprint, null, 2) + "\n" });
  return { dir, files, footprint };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") || f.endsWith(".json"))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

const keys = new Map<string, string>();

/** A key that changes whenever anything that goes into a bundle changes. */
function bundleKey(boardId: string, app: AppName, opts: ConstantOptions): string {
  const id = JSON.stringify({ boardId, app, opts });
  let key = keys.get(id);
  if (key === undefined) {
    key = computeBundleKey(boardId, app, opts);
    keys.set(id, key);
  }
  return key;
}

function computeBundleKey(boardId: string, app: AppName, opts: ConstantOptions): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ boardId, app, opts }));
  for (const dir of ["firmware", "hal", "boards", "tools/build", "tools/dialect"]) {
    for (const f of sourceFiles(join(REPO, dir))) h.update(relative(REPO, f)).update(readFileSync(f));
  }
  h.update(readFileSync(join(REPO, "package-lock.json")));
  return h.digest("hex").slice(0, 16);
}

/** The built bundle for a board and app, from build/.cache when its sources have not changed. */
export async function cachedBuild(boardId: string, app: AppName, opts: ConstantOptions = {}): Promise<BuildOutput> {
  const dir = join(REPO, "build", ".cache", `${boardId}-${app}-${bundleKey(boardId, app, opts)}`);
  const fp = join(dir, "footprint.json");
  if (existsSync(fp)) {
    const footprint = JSON.parse(readFileSync(fp, "utf8")) as Footprint;
    const files = Object.fromEntries(Object.keys(footprint.files).map((n) => [n, readFileSync(join(dir, n), "utf8")]));
    return { dir, files, footprint };
  }
  return buildApp(boardId, app, dir, opts);
}
