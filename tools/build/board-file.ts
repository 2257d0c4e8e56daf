import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import type { BoardConstants, CellPins, GateLanePins } from "../../hal/board.ts";
import { BOARDS_DIR, REPO } from "../paths.ts";

export interface Budget {
  bundle_bytes: number;
  jsvars_after_boot?: number;
  lua_heap_after_boot_bytes?: number;
}

export interface BoardFile {
  id: string;
  name: string;
  platform: "espruino" | "nodemcu";
  mcu: "esp8266" | "esp32";
  lua?: "5.1" | "5.3";
  memory: { jsvars?: number; lua_heap_bytes?: number };
  budget: Budget;
  /** An app on MQTT (aisle build --link mqtt); the serial budget where absent. */
  budget_mqtt?: Budget;
  shelf: { cells: { dout: number; sck: number; gain: "A128" | "B32" | "A64"; rate_sps: 10 | 80 }[] };
  gate: {
    lanes: { beam_outer: number; beam_inner: number; door_closed: number; lock: number; led_green: number; led_red: number }[];
    emergency: number;
    buzzer: number;
    debounce_ms: number;
  };
}

export class BoardError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length === 1 ? problems[0] : "\n  " + problems.join("\n  ")}`);
    this.name = "BoardError";
  }
}

/** Clock pulses after the 24 data bits (HX711 datasheet, Table 3). */
const GAIN_PULSES = { A128: 25, B32: 26, A64: 27 } as const;

/* ESP8266 GPIO16 (NodeMCU D0) has no interrupt, so it cannot watch a DOUT or an input. */
const NO_INTERRUPT = { espruino: 16, nodemcu: 0 } as const;

let validator: ReturnType<Ajv2020["compile"]> | undefined;

function schemaValidator() {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    validator = ajv.compile(JSON.parse(readFileSync(join(BOARDS_DIR, "board.schema.json"), "utf8")));
  }
  return validator;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || "(top level)";
  if (e.keyword === "enum") return `${where}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  if (e.keyword === "additionalProperties") return `${where}: unknown key "${e.params.additionalProperty}"`;
  if (e.keyword === "required") return `${where}: missing "${e.params.missingProperty}"`;
  if (e.keyword === "not" || e.keyword === "if") return "";
  return `${where}: ${e.message}`;
}

/*
 * ESP32 GPIO numbers (ESP32 datasheet, "Pin Definitions"): 20, 24 and 28-31 do not exist; 6-11
 * carry the WROOM module's flash; 34-39 are inputs only, so they can drive no PD_SCK or lock.
 */
function esp32PinProblem(pin: number, output: boolean): string | undefined {
  if (pin === 20 || pin === 24 || (pin >= 28 && pin <= 31)) return `GPIO ${pin} does not exist on the ESP32`;
  if (pin >= 6 && pin <= 11) return `GPIO ${pin} is wired to the module's flash on the ESP32`;
  if (output && pin >= 34) return `GPIO ${pin} is an input only on the ESP32, so it cannot be an output`;
  return undefined;
}

/** The gate's outputs (the rest are watched inputs), by their place in the board file. */
function isGateOutput(what: string): boolean {
  return /(lock|led_green|led_red|buzzer)$/.test(what);
}

function pinProblems(board: BoardFile): string[] {
  const problems: string[] = [];
  const noIrq = board.mcu === "esp8266" ? NO_INTERRUPT[board.platform] : -1;
  const uniquePins = (section: string, pins: [string, number][]) => {
    const seen = new Map<number, string>();
    for (const [what, pin] of pins) {
      const other = seen.get(pin);
      if (other !== undefined) problems.push(`/${section}: pin ${pin} is used by both ${other} and ${what}`);
      seen.set(pin, what);
    }
  };
  const cells = board.shelf.cells;
  uniquePins("shelf", cells.flatMap((c, i) => [[`cells/${i}/dout`, c.dout], [`cells/${i}/sck`, c.sck]] as [string, number][]));
  cells.forEach((c, i) => {
    if (c.dout === noIrq) problems.push(`/shelf/cells/${i}/dout: pin ${c.dout} has no interrupt on the ESP8266, so data-ready cannot be watched`);
  });
  const gate = board.gate;
  const gatePins: [string, number][] = gate.lanes.flatMap((l, i) => [
    [`lanes/${i}/beam_outer`, l.beam_outer], [`lanes/${i}/beam_inner`, l.beam_inner],
    [`lanes/${i}/door_closed`, l.door_closed], [`lanes/${i}/lock`, l.lock],
    [`lanes/${i}/led_green`, l.led_green], [`lanes/${i}/led_red`, l.led_red],
  ] as [string, number][]);
  gatePins.push(["emergency", gate.emergency], ["buzzer", gate.buzzer]);
  uniquePins("gate", gatePins);
  for (const [what, pin] of gatePins) {
    if (pin === noIrq && !isGateOutput(what)) problems.push(`/gate/${what}: pin ${pin} has no interrupt on the ESP8266, so it cannot be watched`);
  }
  if (board.mcu === "esp32") {
    const all: [string, number, boolean][] = [
      ...cells.flatMap((c, i) => [[`/shelf/cells/${i}/dout`, c.dout, false], [`/shelf/cells/${i}/sck`, c.sck, true]] as [string, number, boolean][]),
      ...gatePins.map(([what, pin]) => [`/gate/${what}`, pin, isGateOutput(what)] as [string, number, boolean]),
    ];
    for (const [where, pin, output] of all) {
      const problem = esp32PinProblem(pin, output);
      if (problem !== undefined) problems.push(`${where}: ${problem}`);
    }
  }
  return problems;
}

/** Parses and checks one board file; every problem is reported at once, with its JSON path. */
export function parseBoard(text: string, file: string): BoardFile {
  const shown = file.startsWith(REPO + "/") ? relative(REPO, file) : file;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BoardError(shown, [`not valid JSON: ${(e as Error).message}`]);
  }
  const validate = schemaValidator();
  if (!validate(data)) {
    const problems = [...new Set((validate.errors ?? []).map(describe).filter((p) => p))];
    throw new BoardError(shown, problems.length ? problems : ["does not match boards/board.schema.json"]);
  }
  const board = data as BoardFile;
  const problems = pinProblems(board);
  const expectedId = basename(file, ".json");
  if (board.id !== expectedId) problems.unshift(`/id: "${board.id}" must equal the file name "${expectedId}"`);
  if (problems.length) throw new BoardError(shown, problems);
  return board;
}

export function boardIds(): string[] {
  return readdirSync(BOARDS_DIR)
    .filter((f) => f.endsWith(".json") && f !== "board.schema.json")
    .map((f) => basename(f, ".json"))
    .sort();
}

/** A board by id (boards/ID.json) or by the path of a board file elsewhere. */
export function loadBoard(ref: string): BoardFile {
  const isPath = ref.endsWith(".json") || ref.includes("/");
  const file = isPath ? resolve(ref) : join(BOARDS_DIR, `${ref}.json`);
  if (!existsSync(file)) {
    throw new BoardError(isPath ? ref : `boards/${ref}.json`, [`no such board${isPath ? " file" : ""}; known boards: ${boardIds().join(", ")}`]);
  }
  return parseBoard(readFileSync(file, "utf8"), file);
}

export interface ConstantOptions {
  deviceId?: string;
  /**
   * A replay may need more cells or gate lanes than the board has (extra ones get virtual pins),
   * or fewer cells (the first ones are used): the device the trace came from had that many.
   */
  cells?: number;
  gateLanes?: number;
  /** A replay runs the cells at the rate the trace was recorded at (its HX711s' RATE pin). */
  rateSps?: number;
  /** "mqtt": the app publishes over MQTT (docs/mqtt.md) instead of printing on the serial console. */
  link?: "serial" | "mqtt";
}

const VIRTUAL_PIN_BASE = 100;

/** The board as the constants the bundle carries. */
export function boardConstants(board: BoardFile, opts: ConstantOptions = {}): BoardConstants {
  // A shelf wired with fewer cells than the board has pins for uses the first ones.
  const wired = opts.cells !== undefined && opts.cells < board.shelf.cells.length ? board.shelf.cells.slice(0, opts.cells) : board.shelf.cells;
  const cells: CellPins[] = wired.map((c) => {
    const rate = opts.rateSps ?? c.rate_sps;
    return { dout: c.dout, sck: c.sck, gainPulses: GAIN_PULSES[c.gain], rateSps: rate, batch: Math.max(1, Math.round(rate / 10)) };
  });
  for (let i = cells.length; i < (opts.cells ?? 0); i++) {
    cells.push({ ...cells[i % board.shelf.cells.length], dout: VIRTUAL_PIN_BASE + 2 * i, sck: VIRTUAL_PIN_BASE + 2 * i + 1 });
  }
  const gateLanes: GateLanePins[] = board.gate.lanes.map((l) => ({
    beamOuter: l.beam_outer, beamInner: l.beam_inner, doorClosed: l.door_closed, lock: l.lock, ledGreen: l.led_green, ledRed: l.led_red,
  }));
  for (let i = gateLanes.length; i < (opts.gateLanes ?? 0); i++) {
    const p = VIRTUAL_PIN_BASE + 6 * i;
    gateLanes.push({ beamOuter: p, beamInner: p + 1, doorClosed: p + 2, lock: p + 3, ledGreen: p + 4, ledRed: p + 5 });
  }
  return {
    id: board.id,
    mcu: board.mcu,
    deviceId: opts.deviceId ?? board.id,
    cells,
    gateLanes,
    emergency: board.gate.emergency,
    buzzer: board.gate.buzzer,
    debounceMs: board.gate.debounce_ms,
  };
}
