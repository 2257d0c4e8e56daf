import { crc32 } from "node:zlib";
import type { ByteSource } from "./byte-source.ts";
import { TraceError } from "./trace-types.ts";

/*
 * The binary trace form's framing (docs/trace-binary.md): a 16-byte file header, then blocks of a
 * 24-byte header and a payload whose length is a multiple of 8, all little-endian. Every block
 * starts at a file offset that is a multiple of 8, so column payloads can be viewed in place.
 */

export const MAGIC = Buffer.from([0x89, 0x61, 0x74, 0x62, 0x0d, 0x0a, 0x1a, 0x0a]);
export const VERSION = 1;
export const FILE_HEADER_BYTES = 16;
export const BLOCK_HEADER_BYTES = 24;
/** No block may be larger: a hostile length field cannot make a reader allocate more. */
export const MAX_BLOCK_BYTES = 64 << 20;
/** Row blocks are written up to this size; readers take any size up to MAX_BLOCK_BYTES. */
export const TARGET_BLOCK_BYTES = 1 << 20;
export const FLAG_T_MS = 1;

export const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** Bytes of a shelf ROWS payload. */
export function shelfRowsBytes(rows: number, channels: number, grams: boolean, hasTMs: boolean): number {
  return 8 * rows * (hasTMs ? 2 : 1) + channels * (grams ? 8 * rows : pad8(4 * rows));
}

/** CRC-32 (as zlib and PNG compute it) of the header's first 16 bytes, then the payload. */
export function blockCrc(buf: Buffer, at: number, bytes: number): number {
  return crc32(buf.subarray(at + BLOCK_HEADER_BYTES, at + BLOCK_HEADER_BYTES + bytes), crc32(buf.subarray(at, at + 16)));
}

export interface Block {
  tag: string;
  flags: number;
  count: number;
  /** Index of the payload in the source's buffer; valid until the next block is read. */
  at: number;
  bytes: number;
  /** File offset of the block's header. */
  offset: number;
}

/** Reads and checks blocks one at a time through a ByteSource's buffer. */
export class BlockReader {
  private readonly block: Block = { tag: "", flags: 0, count: 0, at: 0, bytes: 0, offset: 0 };

  constructor(readonly src: ByteSource) {
    if (src.buf.byteOffset % 8 !== 0) throw new Error("ByteSource buffer is not 8-byte aligned");
  }

  fail(problem: string, offset?: number): never {
    this.src.close();
    throw new TraceError(this.src.file, 0, offset === undefined ? problem : `at byte ${offset}: ${problem}`);
  }

  /** Makes `bytes` bytes from src.start readable; false if the file ends first. */
  private have(bytes: number): boolean {
    const src = this.src;
    if (bytes + 1 > src.buf.length) src.grow(bytes + 1, "a block");
    while (src.end - src.start < bytes) if (!src.refill(src.start, "a block")) return false;
    return true;
  }

  readFileHeader(): void {
    const src = this.src;
    if (!this.have(FILE_HEADER_BYTES) || !src.buf.subarray(0, 8).equals(MAGIC)) this.fail("not a binary aisle trace (NAME.trace.bin must start with the aisle-trace binary magic bytes)");
    const version = src.buf.readUInt32LE(8);
    if (version !== VERSION) this.fail(`unsupported binary trace version ${version}: this reader knows version ${VERSION}`);
    if (src.buf.readUInt32LE(12) !== 0) this.fail(`unknown file flags ${src.buf.readUInt32LE(12)} (version ${VERSION} has none): corrupt`, 12);
    src.start = FILE_HEADER_BYTES;
  }

  /** The next block, its payload whole in the buffer and its CRC checked; undefined at the end of the file. */
  next(): Block | undefined {
    const src = this.src;
    const offset = src.base + src.start;
    if (offset >= src.size) return undefined;
    if (!this.have(BLOCK_HEADER_BYTES)) this.fail(`the file ends inside a block header (truncated)`, offset);
    const buf = src.buf;
    const s = src.start;
    const tag = buf.toString("latin1", s, s + 4);
    const bytes = buf.readUInt32LE(s + 12);
    const where = `${JSON.stringify(tag)} block`;
    if (!/^[A-Za-z ]{4}$/.test(tag)) this.fail(`no block header here (found bytes ${buf.subarray(s, s + 4).toString("hex")}): corrupt`, offset);
    if (bytes % 8 !== 0 || bytes > MAX_BLOCK_BYTES) this.fail(`${where} claims a payload of ${bytes} bytes (a multiple of 8 up to ${MAX_BLOCK_BYTES} expected): corrupt`, offset);
    if (offset + BLOCK_HEADER_BYTES + bytes > src.size) this.fail(`${where} claims ${bytes} bytes but the file ends at byte ${src.size} (truncated)`, offset);
    if (!this.have(BLOCK_HEADER_BYTES + bytes)) this.fail(`the file ends inside the ${where} (truncated)`, offset);
    const at = src.start;
    if (blockCrc(src.buf, at, bytes) !== src.buf.readUInt32LE(at + 16)) this.fail(`${where}: CRC-32 mismatch (corrupt)`, offset);
    if (src.buf.readUInt32LE(at + 20) !== 0) this.fail(`${where}: the header's reserved word is not 0 (corrupt)`, offset);
    const b = this.block;
    b.tag = tag;
    b.flags = src.buf.readUInt32LE(at + 4);
    b.count = src.buf.readUInt32LE(at + 8);
    b.at = at + BLOCK_HEADER_BYTES;
    b.bytes = bytes;
    b.offset = offset;
    src.start = at + BLOCK_HEADER_BYTES + bytes;
    return b;
  }
}

/** Writes a block header for a payload already in buf at at+24, and its CRC. */
export function sealBlock(buf: Buffer, at: number, tag: string, flags: number, count: number, bytes: number): number {
  buf.write(tag, at, 4, "latin1");
  buf.writeUInt32LE(flags, at + 4);
  buf.writeUInt32LE(count, at + 8);
  buf.writeUInt32LE(bytes, at + 12);
  buf.writeUInt32LE(blockCrc(buf, at, bytes), at + 16);
  buf.writeUInt32LE(0, at + 20);
  return at + BLOCK_HEADER_BYTES + bytes;
}

/** Checks the END block against what was read, and that nothing follows it. */
export function checkEnd(reader: BlockReader, b: Block, rows: number, samples: number, blocks: number): void {
  const fail = (problem: string): never => reader.fail(`"END " block: ${problem}`, b.offset);
  if (b.bytes !== 24) fail(`a payload of ${b.bytes} bytes, not 24`);
  const buf = reader.src.buf;
  const [r, s, n] = [buf.readDoubleLE(b.at), buf.readDoubleLE(b.at + 8), buf.readDoubleLE(b.at + 16)];
  if (r !== rows || s !== samples || n !== blocks) fail(`the file should hold ${r} rows, ${s} samples in ${n} blocks, but holds ${rows}, ${samples} in ${blocks} (blocks missing)`);
  const after = reader.src.size - reader.src.base - reader.src.start;
  if (after !== 0) fail(`${after} bytes follow the END block`);
  if (rows === 0) fail("the trace has a header but no data rows");
}
