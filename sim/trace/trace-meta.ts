import { GATE_SIGNALS, TraceError, type GateColumn, type GateSignal, type TraceChannel, type TraceLane } from "./trace-types.ts";

/** What the metadata and the header row say, checked against each other. */
export interface TraceHeader {
  kind: "shelf" | "gate";
  meta: Record<string, unknown>;
  device?: string;
  columns: string[];
  rateHz?: number;
  unit?: "counts" | "grams";
  channels?: TraceChannel[];
  lanes?: TraceLane[];
  gateLanes?: string[];
  gateColumns?: GateColumn[];
}

const ID = /^[A-Za-z0-9_.:-]+$/;

export function parseTraceMeta(file: string, metaLines: { line: number; text: string }[], headerText: string, headerLine: number): TraceHeader {
  const meta: Record<string, unknown> = {};
  const lineOf: Record<string, number> = {};
  for (const { line, text } of metaLines) {
    const m = /^#\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s?(.*)$/.exec(text);
    if (!m) throw new TraceError(file, line, `a metadata line must be "# KEY: VALUE", found ${JSON.stringify(text.slice(0, 60))}`);
    try {
      meta[m[1]] = JSON.parse(m[2]);
    } catch {
      throw new TraceError(file, line, `the value of "${m[1]}" is not JSON: ${JSON.stringify(m[2].slice(0, 60))}`);
    }
    lineOf[m[1]] = line;
  }
  const at = (key: string) => lineOf[key] ?? headerLine;
  const fail = (key: string, problem: string): never => {
    throw new TraceError(file, at(key), problem);
  };
  const kind = meta.kind;
  if (kind === undefined) fail("kind", "the metadata has no \"kind\" (\"shelf\" or \"gate\")");
  if (kind !== "shelf" && kind !== "gate") fail("kind", `kind must be "shelf" or "gate", not ${JSON.stringify(kind)}`);
  if (meta.device !== undefined && typeof meta.device !== "string") fail("device", "device must be a string");
  const columns = headerText.split(",").map((c) => c.trim());
  if (columns[0] !== "t_ms") throw new TraceError(file, headerLine, `the header must start with t_ms, found ${JSON.stringify(columns[0])}`);
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === "") throw new TraceError(file, headerLine, "the header has an empty column name");
    if (seen.has(c)) throw new TraceError(file, headerLine, `the header names column ${c} twice`);
    seen.add(c);
  }
  const header: TraceHeader = { kind: kind as "shelf" | "gate", meta, device: meta.device as string | undefined, columns };
  if (kind === "shelf") shelfHeader(header, meta, fail, file, headerLine);
  else gateHeader(header, file, headerLine);
  return header;
}

function shelfHeader(h: TraceHeader, meta: Record<string, unknown>, fail: (key: string, p: string) => never, file: string, headerLine: number): void {
  const rate = meta.rate_hz;
  if (rate === undefined) fail("rate_hz", "a shelf trace needs \"rate_hz\"");
  if (typeof rate !== "number" || !(rate > 0) || rate > 10000) fail("rate_hz", `rate_hz must be a positive number of samples a second, not ${JSON.stringify(rate)}`);
  if (meta.unit === undefined) fail("unit", "a shelf trace needs \"unit\" (\"counts\" or \"grams\")");
  if (meta.unit !== "counts" && meta.unit !== "grams") fail("unit", `unit must be "counts" or "grams", not ${JSON.stringify(meta.unit)}`);
  const chans = meta.channels;
  if (chans === undefined) fail("channels", "a shelf trace needs \"channels\" with each channel's offset and g_per_count");
  if (typeof chans !== "object" || chans === null || Array.isArray(chans)) fail("channels", "channels must be an object: channel id → {\"offset\", \"g_per_count\"}");
  const table = chans as Record<string, unknown>;
  const channels: TraceChannel[] = [];
  for (const id of h.columns.slice(1)) {
    const c = table[id] as { offset?: unknown; g_per_count?: unknown } | undefined;
    if (c === undefined) throw new TraceError(file, headerLine, `column ${id} has no entry in the channels metadata`);
    if (typeof c !== "object" || c === null) fail("channels", `channel ${id} must be {"offset", "g_per_count"}`);
    if (typeof c.offset !== "number" || !Number.isFinite(c.offset)) fail("channels", `channel ${id}: offset must be a number of counts`);
    if (typeof c.g_per_count !== "number" || !Number.isFinite(c.g_per_count) || c.g_per_count === 0) fail("channels", `channel ${id}: g_per_count must be a non-zero number`);
    channels.push({ id, offset: c.offset as number, gramsPerCount: c.g_per_count as number });
  }
  for (const id of Object.keys(table)) {
    if (!h.columns.includes(id)) fail("channels", `channel ${id} is in the metadata but has no column`);
  }
  h.rateHz = rate as number;
  h.unit = meta.unit as "counts" | "grams";
  h.channels = channels;
  h.lanes = shelfLanes(meta.lanes, channels, (p) => fail("lanes", p));
}

function shelfLanes(raw: unknown, channels: TraceChannel[], fail: (p: string) => never): TraceLane[] {
  if (raw === undefined) return channels.map((c, i) => ({ id: c.id, channels: [i] }));
  if (!Array.isArray(raw) || raw.length === 0) fail("lanes must be a non-empty list");
  const ids = new Set<string>();
  const used = new Set<number>();
  return (raw as unknown[]).map((l, n) => {
    const lane = l as { id?: unknown; channels?: unknown; sku?: unknown; unit_g?: unknown };
    if (typeof lane !== "object" || lane === null) fail(`lanes[${n}] must be an object`);
    if (typeof lane.id !== "string" || !ID.test(lane.id)) fail(`lanes[${n}].id must be a string of letters, digits and _ . : -`);
    if (ids.has(lane.id as string)) fail(`lane ${lane.id} is listed twice`);
    ids.add(lane.id as string);
    if (!Array.isArray(lane.channels) || lane.channels.length === 0) fail(`lane ${lane.id}: channels must be a non-empty list of channel ids`);
    const idx = (lane.channels as unknown[]).map((c) => {
      const i = channels.findIndex((ch) => ch.id === c);
      if (i < 0) fail(`lane ${lane.id}: channel ${JSON.stringify(c)} is not a column`);
      if (used.has(i)) fail(`lane ${lane.id}: channel ${JSON.stringify(c)} already belongs to another lane`);
      used.add(i);
      return i;
    });
    if (lane.sku !== undefined && (typeof lane.sku !== "string" || !/^[^\t\n"\\]*$/.test(lane.sku))) fail(`lane ${lane.id}: sku must be a string without tabs, newlines, quotes or backslashes`);
    if (lane.unit_g !== undefined && (typeof lane.unit_g !== "number" || !(lane.unit_g > 0))) fail(`lane ${lane.id}: unit_g must be a positive number of grams`);
    return { id: lane.id as string, channels: idx, sku: lane.sku as string | undefined, unitG: lane.unit_g as number | undefined };
  });
}

function gateHeader(h: TraceHeader, file: string, headerLine: number): void {
  const lanes: string[] = [];
  const columns: GateColumn[] = [];
  for (const name of h.columns.slice(1)) {
    if (name === "emergency") {
      columns.push({ lane: -1, signal: "emergency" });
      continue;
    }
    const dot = name.lastIndexOf(".");
    const lane = name.slice(0, dot);
    const signal = name.slice(dot + 1) as GateSignal;
    if (dot <= 0 || !ID.test(lane) || !(GATE_SIGNALS as readonly string[]).includes(signal)) {
      throw new TraceError(file, headerLine, `gate column ${JSON.stringify(name)} must be LANE.beam_outer, LANE.beam_inner, LANE.door_closed, LANE.admit or emergency`);
    }
    if (!lanes.includes(lane)) lanes.push(lane);
    columns.push({ lane: lanes.indexOf(lane), signal });
  }
  h.gateLanes = lanes;
  h.gateColumns = columns;
}
