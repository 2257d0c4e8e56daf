import { TraceError } from "../trace/trace-types.ts";
import type { TruthEvent } from "../trace/truth.ts";
import { parseTimeUs, parseValue, quoteCell } from "./cell-parse.ts";
import { readLines, splitDelimited } from "./line-reader.ts";
import type { Planogram } from "./planogram.ts";

const TYPES: Record<string, "pick" | "put"> = {
  pick: "pick", pickup: "pick", pick_up: "pick", take: "pick",
  put: "put", putback: "put", put_back: "put", putdown: "put", put_down: "put", return: "put",
};

/**
 * Reads labelled events (docs/import.md, "Labels"): a CSV with a header naming `type` (or
 * AiFi's `putback` 0/1), `t_start_s` (or `t_start_ms`), optionally `t_end_s`, the lane (`lane`,
 * or `plates` by id, or AiFi's `gondola`, `shelf` and plate numbers in `plates`), and optionally
 * `count`, `grams` and `sku`. Times are on the recording's own base; `t0Us` is the trace's t = 0.
 */
export function readLabels(file: string, planogram: Planogram, t0Us: number, endUs: number): TruthEvent[] {
  const events: TruthEvent[] = [];
  let col: Record<string, number> | undefined;
  readLines(file, (line, lineNo) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const cells = splitDelimited(line, ",");
    if (cells === undefined) throw new TraceError(file, lineNo, "a quoted cell is not closed");
    const fail = (problem: string): never => {
      throw new TraceError(file, lineNo, problem);
    };
    if (col === undefined) {
      col = Object.fromEntries(cells.map((c, i) => [c.trim().toLowerCase(), i]));
      if (col.type === undefined && col.putback === undefined) fail("the header names no \"type\" column (pick or put)");
      if (col.t_start_s === undefined && col.t_start_ms === undefined) fail("the header names no \"t_start_s\" (or t_start_ms) column");
      if (col.lane === undefined && col.plates === undefined) fail("the header names no \"lane\" or \"plates\" column");
      return;
    }
    const cell = (name: string) => (col![name] === undefined ? "" : (cells[col![name]] ?? "").trim());
    const typeText = col.type !== undefined ? cell("type").toLowerCase() : cell("putback") === "1" ? "put" : "pick";
    const type = TYPES[typeText] ?? fail(`type ${quoteCell(typeText)} is neither a pick nor a put`);
    const unit = col.t_start_s !== undefined ? "s" : "ms";
    const time = (name: string) => {
      const us = parseTimeUs(cell(name), unit);
      if (us === undefined) fail(`${name} ${quoteCell(cell(name))} is not a number`);
      return us!;
    };
    const startUs = time(`t_start_${unit}`);
    const endText = cell(`t_end_${unit}`);
    const endUsAt = endText === "" ? startUs : time(`t_end_${unit}`);
    if (endUsAt < startUs) fail("the event ends before it starts");
    if (startUs < t0Us - 1e6 || endUsAt > endUs + 1e6) fail(`the event lies outside the recording, which runs from ${t0Us / 1e6} to ${endUs / 1e6} s`);
    const lane = laneOf(cell("lane"), cell("plates"), cell("gondola"), cell("shelf"), planogram, fail);
    const count = optionalNumber(cell("count"), "count", fail);
    if (count !== undefined && !(Number.isInteger(count) && count > 0)) fail(`count ${count} is not a whole number of items above 0`);
    const grams = optionalNumber(cell("grams"), "grams", fail);
    if (grams !== undefined && grams !== 0 && (grams < 0) !== (type === "pick")) fail(`grams ${grams} has the wrong sign for a ${type} (a pick takes weight off: negative)`);
    const sku = cell("sku") || lane.sku;
    const ms = (us: number) => Math.round(us - t0Us) / 1000;
    events.push({ type, lane: lane.id, tStartMs: ms(startUs), tEndMs: ms(endUsAt), grams, count, sku });
  });
  return events.sort((a, b) => a.tStartMs - b.tStartMs);
}

function optionalNumber(text: string, name: string, fail: (p: string) => never): number | undefined {
  if (text === "") return undefined;
  const v = parseValue(text);
  if (v === undefined || Number.isNaN(v)) fail(`${name} ${quoteCell(text)} is not a number`);
  return v;
}

/** The one lane a label names, by lane id or by the plates it touched. */
function laneOf(laneText: string, platesText: string, gondola: string, shelf: string, p: Planogram, fail: (problem: string) => never) {
  if (laneText !== "") return p.lanes.find((l) => l.id === laneText) ?? fail(`no lane ${quoteCell(laneText)} in the planogram ${p.file}`);
  const names = platesText.split(/[\s;|]+/).filter((s) => s !== "");
  if (names.length === 0) fail("the event names neither a lane nor plates");
  const ids = names.map((n) => {
    const pl = gondola !== "" && shelf !== ""
      ? p.plates.find((x) => x.gondola === Number(gondola) && x.shelf === Number(shelf) && x.plate === Number(n))
      : p.plates.find((x) => x.id === n);
    return pl?.id ?? fail(`no plate ${gondola !== "" ? `gondola ${gondola} shelf ${shelf} plate ${n}` : quoteCell(n)} in the planogram ${p.file}`);
  });
  const lanes = [...new Set(ids.map((id) => p.lanes.find((l) => l.plates.includes(id))))];
  if (lanes.includes(undefined)) fail(`plate ${ids.find((id) => !p.lanes.some((l) => l.plates.includes(id)))} belongs to no lane of the planogram`);
  if (lanes.length > 1) fail(`plates ${names.join(" ")} belong to several lanes (${lanes.map((l) => l!.id).join(", ")}): name the lane`);
  return lanes[0]!;
}
