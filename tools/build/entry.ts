import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { BoardConstants } from "../../hal/board.ts";
import { REPO } from "../paths.ts";

export type AppName = "shelf" | "gate";
export const APPS: AppName[] = ["shelf", "gate"];

const START = { shelf: "startShelf", gate: "startGate" } as const;

/** The sibling ports under hal/: a board's platform and MCU pick one at build time. */
export type PortName = "espruino" | "nodemcu" | "nodemcu-esp32";

/**
 * The port for a board: Espruino's API is the same on both chips; NodeMCU's is not (the ESP32's
 * dev-esp32 branch has no hx711 module, no gpio.mode or tmr.now, and files go through io).
 */
export function portFor(board: { platform: "espruino" | "nodemcu"; mcu: "esp8266" | "esp32" }): PortName {
  if (board.platform === "nodemcu" && board.mcu === "esp32") return "nodemcu-esp32";
  return board.platform;
}

/* Each app's HAL: the module under hal/PORT/ and its function. NodeMCU's bundles carry every module an entry reaches, so each app imports only its own half. */
const PORT_HAL: Record<PortName, Record<AppName, [string, string]>> = {
  espruino: { shelf: ["hal", "espruinoShelfHal"], gate: ["hal", "espruinoGateHal"] },
  nodemcu: { shelf: ["shelf-hal", "nodemcuShelfHal"], gate: ["gate-hal", "nodemcuGateHal"] },
  "nodemcu-esp32": { shelf: ["shelf-hal", "nodemcuEsp32ShelfHal"], gate: ["gate-hal", "nodemcuEsp32GateHal"] },
};

/* Each app on MQTT (docs/mqtt.md): its own start and a HAL with the MQTT link, HMAC and system added (the gate's without console admissions). */
const ONLINE_HAL: Record<PortName, Record<AppName, [string, string]>> = {
  espruino: { shelf: ["online-hal", "espruinoOnlineShelfHal"], gate: ["online-hal", "espruinoOnlineGateHal"] },
  nodemcu: { shelf: ["online-shelf-hal", "nodemcuOnlineShelfHal"], gate: ["online-gate-hal", "nodemcuOnlineGateHal"] },
  "nodemcu-esp32": { shelf: ["online-shelf-hal", "nodemcuEsp32OnlineShelfHal"], gate: ["online-gate-hal", "nodemcuEsp32OnlineGateHal"] },
};

const START_ONLINE = { shelf: "startShelfOnline", gate: "startGateOnline" } as const;

/** How an app's events leave the device: printed on the serial console (what replays read), or published over MQTT. */
export type LinkName = "serial" | "mqtt";

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
 * Writes a generated source only when it changes, and in one rename: several processes (test
 * files, worker threads) build the same board at once, and one of them must never compile a file
 * another has just truncated.
 */
function writeGenerated(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return;
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Writes the two generated sources a bundle starts from: the board as constants, and a main
 * that hands the port's HAL to the app. They live under build/.gen so the dialect check and
 * both compilers see them as ordinary sources.
 */
export function writeEntry(port: PortName, app: AppName, board: BoardConstants, tag: string, link: LinkName = "serial"): string {
  const dir = join(REPO, "build", ".gen", tag);
  mkdirSync(dir, { recursive: true });
  const up = relative(dir, REPO);
  // Each app carries only its own pins: every byte of the bundle is flash, and on Espruino RAM.
  const own: BoardConstants = app === "shelf" ? { ...board, gateLanes: [] } : { ...board, cells: [] };
  writeGenerated(join(dir, "board.ts"),
    `import type { BoardConstants } from "${up}/hal/board";\n\n` +
    `/* Generated from boards/${board.id}.json by aisle build. */\n` +
    `export const BOARD: BoardConstants = ${tsLiteral(own)};\n`);
  const main = join(dir, "main.ts");
  const [halModule, halFn] = link === "mqtt" ? ONLINE_HAL[port][app] : PORT_HAL[port][app];
  const [startModule, startFn] = link === "mqtt" ? ["online", START_ONLINE[app]] : ["start", START[app]];
  writeGenerated(main,
    `import { ${startFn} } from "${up}/firmware/apps/${app}/${startModule}";\n` +
    `import { ${halFn} } from "${up}/hal/${port}/${halModule}";\n` +
    `import { BOARD } from "./board";\n\n` +
    (port === "espruino" ? ESPRUINO_GLOBALS_NOTE : "") +
    `${startFn}(${halFn}(BOARD), BOARD);\n`);
  return main;
}
