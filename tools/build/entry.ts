import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { BoardConstants } from "../../hal/board.ts";
import { REPO } from "../paths.ts";

export type AppName = "shelf" | "gate";
export const APPS: AppName[] = ["shelf", "gate"];

const START = { shelf: "startShelf", gate: "startGate" } as const;
const PORT_HAL = {
  espruino: { shelf: "espruinoShelfHal", gate: "espruinoGateHal" },
  nodemcu: { shelf: "nodemcuShelfHal", gate: "nodemcuGateHal" },
} as const;

/*
 * The minified app is top-level code, and esbuild never gives a top-level name to a global the
 * bundle reads; naming Espruino's E here keeps it from being shadowed (a function called E would
 * hide Espruino's E object for good). Its other globals have names esbuild's never reach.
 */
const ESPRUINO_GLOBALS_NOTE = "// Espruino's E object: named so that no minified name shadows it.\nE;\n";

/** A TypeScript literal with bare keys, so that the Espruino build's property mangling renames them with their uses. */
function tsLiteral(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*)"([A-Za-z_$][A-Za-z0-9_$]*)":/gm, "$1$2:");
}

/**
 * Writes the two generated sources a bundle starts from: the board as constants, and a main
 * that hands the port's HAL to the app. They live under build/.gen so the dialect check and
 * both compilers see them as ordinary sources.
 */
export function writeEntry(platform: "espruino" | "nodemcu", app: AppName, board: BoardConstants, tag: string): string {
  const dir = join(REPO, "build", ".gen", tag);
  mkdirSync(dir, { recursive: true });
  const up = relative(dir, REPO);
  // Each app carries only its own pins: every byte of the bundle is flash, and on Espruino RAM.
  const own: BoardConstants = app === "shelf" ? { ...board, gateLanes: [] } : { ...board, cells: [] };
  writeFileSync(join(dir, "board.ts"),
    `import type { BoardConstants } from "${up}/hal/board";\n\n` +
    `/* Generated from boards/${board.id}.json by aisle build. */\n` +
    `export const BOARD: BoardConstants = ${tsLiteral(own)};\n`);
  const main = join(dir, "main.ts");
  writeFileSync(main,
    `import { ${START[app]} } from "${up}/firmware/apps/${app}/start";\n` +
    `import { ${PORT_HAL[platform][app]} } from "${up}/hal/${platform}/hal";\n` +
    `import { BOARD } from "./board";\n\n` +
    (platform === "espruino" ? ESPRUINO_GLOBALS_NOTE : "") +
    `${START[app]}(${PORT_HAL[platform][app]}(BOARD), BOARD);\n`);
  return main;
}
