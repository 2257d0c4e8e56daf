import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { espruinoToolsTransform } from "../../tools/build/espruino-bundle.ts";
import { REPO } from "../../tools/paths.ts";
import { EspruinoBoard } from "./espruino-board.ts";
import { SETTLE_MS } from "./jsvar-app.ts";
import { FLASH_CODE } from "./jsvar-meter.ts";

/*
 * The JsVar calibration fixtures: small programs whose process.memory().usage after boot was
 * measured on the real interpreter (tools/measure-jsvars.ts writes real-usage.json) and which
 * the suite runs on the virtual board to hold the model to those figures.
 */

export const FIXTURE_DIR = join(REPO, "test", "fixtures", "jsvars");
export const REAL_USAGE_FILE = join(FIXTURE_DIR, "real-usage.json");

/** How a fixture reaches the board: uploaded (code copied into RAM), or stored as .bootcde and load()ed from flash, as plain or pretokenised text. */
export const FIXTURE_MODES = ["ram", "flash", "flash-pretokenised"] as const;
export type FixtureMode = (typeof FIXTURE_MODES)[number];

/** Every fixture ends with a timer, so that the Linux interpreter stays in its event loop to be asked. */
export const KEEPALIVE = "\nsetInterval(function(){},1e6);\n";

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)).sort();
}

export function fixtureCode(name: string): string {
  return readFileSync(join(FIXTURE_DIR, `${name}.js`), "latin1") + KEEPALIVE;
}

/** EspruinoTools' pretokeniser, as the build applies it to the code it stores in flash. */
export async function pretokenise(code: string): Promise<string> {
  await espruinoToolsTransform("");
  const E = (globalThis as unknown as { Espruino: { Config: Record<string, unknown>; Plugins: { Pretokenise: { tokenise(c: string): string } } } }).Espruino;
  const before = E.Config.PRETOKENISE;
  E.Config.PRETOKENISE = 2;
  try {
    return E.Plugins.Pretokenise.tokenise(code);
  } finally {
    E.Config.PRETOKENISE = before;
  }
}

/** The text stored or uploaded for a fixture in a mode. */
export async function fixtureText(name: string, mode: FixtureMode): Promise<string> {
  const code = fixtureCode(name);
  return mode === "flash-pretokenised" ? pretokenise(code) : code;
}

/** A JavaScript string literal for any bytes, each outside printable ASCII as \xNN (Espruino copies those verbatim). */
export function byteLiteral(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x20 || c >= 0x7f || text[i] === '"' || text[i] === "\\" ? `\\x${c.toString(16).padStart(2, "0")}` : text[i];
  }
  return out + '"';
}

/** process.memory().usage on the virtual board after the fixture text has booted in the given mode. */
export function modelUsage(text: string, mode: FixtureMode, total = 1700): { usage: number; errors: string[] } {
  const storage = new Map<string, string>();
  if (mode !== "ram") storage.set(FLASH_CODE, text);
  const board = new EspruinoBoard({ code: mode === "ram" ? text : "load();", filename: "fixture.js", mode: "vm", storage, onLine: () => {} });
  board.countJsVars(total);
  board.boot();
  board.runUntil(SETTLE_MS * 1000);
  return { usage: board.memory().usage, errors: board.errors };
}
