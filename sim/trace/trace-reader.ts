import { readFileSync } from "node:fs";
import { splitCsvLine } from "./csv-line.ts";
import { parseTraceMeta, type TraceHeader } from "./trace-meta.ts";
import { TraceError, type GateChange, type GateTrace, type ShelfTrace, type Trace } from "./trace-types.ts";

const MIN_COUNT = -8388608;
const MAX_COUNT = 8388607;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads trace format 1 line by line. Nothing is returned until the whole file has been read
 * and checked: a malformed trace gives one TraceError naming file, line and problem.
 */
export class TraceParser {
  private lineNo = 0;
  private metaLines: { line: number; text: string }[] = [];
  private header: TraceHeader | undefined;
  private lastTMs = -Infinity;
  private shelf: ShelfTrace | undefined;
  private gate: GateTrace | undefined;
  private gateValues: (number | string)[] = [];
  private firstGateRow = true;

  constructor(private readonly file: string) {}

  private fail(problem: string, line = this.lineNo): never {
    throw new TraceError(this.file, line, problem);
  }

  push(raw: string): void {
    this.lineNo++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1) {
      const first = line.replace(/^\uFEFF/, "");
      if (!/^# aisle-trace \S+$/.test(first)) this.fail(`the first line must be "# aisle-trace 1", found ${JSON.stringify(first.slice(0, 40))}`);
      if (first !== "# aisle-trace 1") this.fail(`unsupported trace version ${JSON.stringify(first.slice(14))}: this reader knows version 1`);
      return;
    }
    if (this.header === undefined) {
      if (line.startsWith("#")) {
        this.metaLines.push({ line: this.lineNo, text: line });
        return;
      }
      if (line.trim() === "") return;
      this.header = parseTraceMeta(this.file, this.metaLines, line, this.lineNo);
      this.start(this.header);
      return;
    }
    if (line.trim() === "" || line.startsWith("#")) return;
    this.row(line);
  }

  private start(h: TraceHeader): void {
    if (h.kind === "shelf") {
      this.shelf = {
        kind: "shelf", file: this.file, meta: h.meta, device: h.device, rateHz: h.rateHz!, unit: h.unit!,
        channels: h.channels!, lanes: h.lanes!, samples: h.channels!.map(() => ({ tUs: [], counts: [] })),
        sampleCount: 0, endUs: 0,
      };
    } else {
      this.gate = {
        kind: "gate", file: this.file, meta: h.meta, device: h.device, lanes: h.gateLanes!, columns: h.gateColumns!,
        initial: h.gateColumns!.map(() => 0), changes: [], sampleCount: 0, endUs: 0,
      };
      this.gateValues = h.gateColumns!.map(() => 0);
    }
  }

  private row(line: string): void {
    const h = this.header!;
    const cells = splitCsvLine(line);
    if (cells === undefined) this.fail("a quoted cell is not closed");
    if (cells.length !== h.columns.length) {
      this.fail(`the row has ${cells.length} cells but the header has ${h.columns.length} columns`);
    }
    const tText = cells[0].trim();
    if (!DECIMAL.test(tText)) this.fail(`t_ms ${JSON.stringify(tText)} is not a decimal number`);
    const tMs = Number(tText);
    if (!Number.isFinite(tMs) || tMs < 0) this.fail(`t_ms ${tText} must be a finite number ≥ 0`);
    if (tMs < this.lastTMs) this.fail(`t_ms ${tText} goes back in time (the previous row had ${this.lastTMs})`);
    this.lastTMs = tMs;
    const tUs = Math.round(tMs * 1000);
    if (this.shelf) this.shelfRow(this.shelf, cells, tUs);
    else this.gateRow(this.gate!, cells, tUs);
  }

  private shelfRow(trace: ShelfTrace, cells: string[], tUs: number): void {
    for (let c = 1; c < cells.length; c++) {
      const text = cells[c].trim();
      if (text === "") continue;
      if (!DECIMAL.test(text)) this.fail(`column ${this.header!.columns[c]}: ${JSON.stringify(text)} is not a number`);
      const value = Number(text);
      const ch = trace.channels[c - 1];
      let counts: number;
      if (trace.unit === "counts") {
        if (!Number.isInteger(value)) this.fail(`column ${ch.id}: ${text} is not a whole number of counts`);
        if (value < MIN_COUNT || value > MAX_COUNT) this.fail(`column ${ch.id}: ${text} is outside the HX711's signed 24-bit range`);
        counts = value;
      } else {
        // Past the converter's range a real HX711 saturates, and so does the virtual one.
        counts = Math.min(MAX_COUNT, Math.max(MIN_COUNT, Math.round(ch.offset + value / ch.gramsPerCount)));
      }
      const s = trace.samples[c - 1];
      s.tUs.push(tUs);
      s.counts.push(counts);
      trace.sampleCount++;
    }
    trace.endUs = tUs;
  }

  private gateRow(trace: GateTrace, cells: string[], tUs: number): void {
    const changes: GateChange[] = [];
    for (let c = 1; c < cells.length; c++) {
      const text = cells[c].trim();
      const col = trace.columns[c - 1];
      const name = this.header!.columns[c];
      if (col.signal === "admit") {
        if (text !== "") changes.push({ tUs, column: c - 1, value: text });
        continue;
      }
      if (text === "") continue;
      if (text !== "0" && text !== "1") this.fail(`column ${name}: ${JSON.stringify(text)} must be 0 or 1`);
      const v = Number(text);
      if (this.firstGateRow) {
        trace.initial[c - 1] = v;
      } else if (v !== this.gateValues[c - 1]) {
        changes.push({ tUs, column: c - 1, value: v });
      }
      this.gateValues[c - 1] = v;
    }
    this.firstGateRow = false;
    trace.changes.push(...changes);
    trace.sampleCount += changes.length;
    trace.endUs = tUs;
  }

  finish(): Trace {
    if (this.lineNo === 0) this.fail("the file is empty", 0);
    if (this.header === undefined) this.fail("no header row (t_ms,...) after the metadata");
    if (this.lastTMs === -Infinity) this.fail("the trace has a header but no data rows");
    return (this.shelf ?? this.gate)!;
  }
}

export function parseTrace(text: string, file: string): Trace {
  const parser = new TraceParser(file);
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) parser.push(line);
  return parser.finish();
}

export function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new TraceError(file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTrace(text, file);
}
