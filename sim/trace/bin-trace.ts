import { BlockReader, checkEnd, pad8, type Block } from "./bin-blocks.ts";
import { BinShelfStream } from "./bin-shelf-stream.ts";
import type { ByteSource } from "./byte-source.ts";
import { GateBuilder } from "./gate-builder.ts";
import type { GateRow, RawTrace } from "./raw-trace.ts";
import { parseTraceMeta, type TraceHeader } from "./trace-meta.ts";
import { TraceError } from "./trace-types.ts";

const CELL = ["", "0", "1"];

/**
 * Opens a binary trace (docs/trace-binary.md): checks the file header and the META block, then
 * gives a shelf trace as a stream of ROWS blocks, or a gate trace whole. Errors name the file and
 * the byte offset of the block at fault.
 */
export function openBinTrace(src: ByteSource): RawTrace {
  const reader: BlockReader = new BlockReader(src);
  reader.readFileHeader();
  const b = reader.next();
  if (b === undefined || b.tag !== "META") reader.fail(b === undefined ? "no META block (truncated)" : `the first block must be "META", not ${JSON.stringify(b.tag)}`, b?.offset ?? 16);
  const { header, preamble } = metaOf(reader, b);
  if (header.kind === "shelf") return { kind: "shelf", file: src.file, header, preamble, stream: new BinShelfStream(reader, header) };
  try {
    const { rows, trace } = gateRows(reader, header);
    return { kind: "gate", file: src.file, header, preamble, rows, trace };
  } finally {
    src.close();
  }
}

function metaOf(reader: BlockReader, b: Block): { header: TraceHeader; preamble: string[] } {
  const fail = (problem: string): never => reader.fail(`"META" block: ${problem}`, b.offset);
  if (b.count > b.bytes) fail(`${b.count} bytes of text in a payload of ${b.bytes}`);
  const preamble = reader.src.buf.toString("utf8", b.at, b.at + b.count).split("\n");
  const headerText = preamble[preamble.length - 1];
  if (headerText.trim() === "" || headerText.startsWith("#")) fail("the last line must be the header row");
  try {
    const metaLines = preamble.slice(0, -1).map((text, i) => ({ line: i + 2, text }));
    return { header: parseTraceMeta(reader.src.file, metaLines, headerText, preamble.length + 1), preamble };
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    return fail(`line ${e.line} of the CSV preamble it holds: ${e.problem}`);
  }
}

function gateRows(reader: BlockReader, header: TraceHeader): { rows: GateRow[]; trace: GateBuilder["trace"] } {
  const builder = new GateBuilder(reader.src.file, header);
  const rows: GateRow[] = [];
  const columns = header.columns.length - 1;
  let samples = 0;
  let blocks = 0;
  let lastTMs = 0;
  for (;;) {
    const b = reader.next();
    if (b === undefined) reader.fail(`the file ends at byte ${reader.src.size} without an END block (truncated)`);
    if (b.tag === "END ") {
      checkEnd(reader, b, rows.length, samples, blocks);
      return { rows, trace: builder.trace };
    }
    if (/^[a-z]/.test(b.tag)) continue;
    let row = 0;
    const fail = (problem: string): never => reader.fail(`"GATE" block: row ${rows.length + row + 1}: ${problem}`, b.offset);
    if (b.tag !== "GATE") reader.fail(`unexpected ${JSON.stringify(b.tag)} block in a gate trace`, b.offset);
    const n = b.count;
    const jsonAt = 8 * n + pad8(n * columns);
    if (n === 0 || b.flags !== 0 || jsonAt > b.bytes) fail(`${n} rows of ${columns} columns do not fit ${b.bytes} bytes (flags ${b.flags})`);
    const buf = reader.src.buf;
    let tokens: unknown;
    try {
      tokens = JSON.parse(buf.toString("utf8", b.at + jsonAt, b.at + b.bytes));
    } catch {
      fail("the admit tokens are not JSON");
    }
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string")) return fail("the admit tokens must be a list of strings");
    let k = 0;
    for (; row < n; row++) {
      const tMs = buf.readDoubleLE(b.at + 8 * row);
      if (!(Number.isFinite(tMs) && tMs >= lastTMs)) fail(`t_ms ${tMs} is not a finite number ≥ the previous row's ${lastTMs}`);
      lastTMs = tMs;
      const cells: string[] = [];
      for (let c = 0; c < columns; c++) {
        const code = buf[b.at + 8 * n + row * columns + c];
        if (code > 3 || (code === 3 && k >= tokens.length)) fail(`cell code ${code} without a token`);
        const cell = code === 3 ? (tokens[k++] as string) : CELL[code];
        if (cell !== "") samples++;
        cells.push(cell);
      }
      builder.row([String(tMs), ...cells], Math.round(tMs * 1000), fail);
      rows.push({ tMs, cells });
    }
    if (k !== tokens.length) fail(`${tokens.length - k} admit tokens left over`);
    blocks++;
  }
}
