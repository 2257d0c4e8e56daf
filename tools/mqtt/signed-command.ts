/*
 * Signed commands as docs/mqtt.md has them, made on the host with cbor-x and node:crypto: what
 * `aisle calibrate` sends, and what tests forge, replay and garble.
 */
import { createHmac } from "node:crypto";
import { Encoder } from "cbor-x";

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });

export interface CommandBody {
  v?: number;
  dev: string;
  ctr: number;
  exp_ms: number;
  id: string;
  tech: string;
  cmd: string;
  boot?: number;
  [field: string]: unknown;
}

export function encodeBody(body: CommandBody): Buffer {
  return Buffer.from(encoder.encode({ v: 1, ...body }));
}

export function macOf(key: Buffer, body: Buffer): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

/** [body, mac] in CBOR, signed with key. */
export function signCommand(key: Buffer, body: CommandBody | Buffer): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : encodeBody(body);
  return Buffer.from(encoder.encode([bytes, macOf(key, bytes)]));
}

/** The byte-string form the firmware gets from its link. */
export const latin1 = (b: Uint8Array): string => Buffer.from(b).toString("latin1");
