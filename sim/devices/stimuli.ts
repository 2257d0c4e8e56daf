import type { BoardConstants } from "../../hal/board.ts";
import type { GateTrace } from "../trace/trace-types.ts";

/*
 * What the outside world does to a board, as timed pin-level facts that every runner is fed
 * identically: an HX711 finishing a conversion, a beam breaking, a door opening. Ordered by
 * time, then by the order the devices are wired (cells by index; gate columns by header order).
 * A shelf trace's conversions come straight from its stream (sim/runners/shelf-feed.ts).
 */

/** HX711 number `cell` has a new conversion ready: DOUT falls. */
export interface ConversionReady {
  kind: "conversion";
  tUs: number;
  cell: number;
  counts: number;
}

/** An input pin changes level. */
export interface PinLevel {
  kind: "pin";
  tUs: number;
  pin: number;
  level: number;
}

/**
 * An admission typed on the serial console (docs/gate.md, "Admissions"): the board's REPL runs
 * `admit(lane, "token")`, the lane counted from 0.
 */
export interface ConsoleAdmit {
  kind: "admit";
  tUs: number;
  lane: number;
  token: string;
}

export type Stimulus = ConversionReady | PinLevel;

/** The pin each gate column drives on this board; -1 for the admit columns, which come on the console. */
export function gateColumnPins(trace: GateTrace, board: BoardConstants): number[] {
  return trace.columns.map((col) => {
    if (col.signal === "emergency") return board.emergency;
    const lane = board.gateLanes[col.lane];
    if (col.signal === "beam_outer") return lane.beamOuter;
    if (col.signal === "beam_inner") return lane.beamInner;
    if (col.signal === "door_closed") return lane.doorClosed;
    return -1;
  });
}

/** Levels of the gate's input pins before boot. */
export function gateInitialLevels(trace: GateTrace, board: BoardConstants): PinLevel[] {
  const pins = gateColumnPins(trace, board);
  return trace.initial.flatMap((v, c) => (pins[c] >= 0 ? [{ kind: "pin" as const, tUs: 0, pin: pins[c], level: v }] : []));
}

/** The trace's changes in its order (time, then header order): pin levels, and admissions on the console. */
export function* gateStimuli(trace: GateTrace, board: BoardConstants): Generator<PinLevel | ConsoleAdmit> {
  const pins = gateColumnPins(trace, board);
  for (const ch of trace.changes) {
    const pin = pins[ch.column];
    if (pin >= 0 && typeof ch.value === "number") yield { kind: "pin", tUs: ch.tUs, pin, level: ch.value };
    else if (trace.columns[ch.column].signal === "admit" && ch.value !== "") yield { kind: "admit", tUs: ch.tUs, lane: trace.columns[ch.column].lane, token: String(ch.value) };
  }
}

/** What a host types for an admission: the same call in JavaScript and in Lua, the token quoted for the platform's language. */
export function admitLine(a: ConsoleAdmit, language: "js" | "lua"): string {
  const quoted = language === "js" ? JSON.stringify(a.token) : `"${Array.from(Buffer.from(a.token, "utf8"), (b) => (/[A-Za-z0-9 _.:\-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\${String(b).padStart(3, "0")}`)).join("")}"`;
  return `admit(${a.lane},${quoted})`;
}
