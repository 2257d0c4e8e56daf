/*
 * Sending a signed bundle to a device over MQTT (docs/ota.md; docs/mqtt.md, "Bundle updates"):
 * ota_begin, then ota_chunk in order (each reply says how far the slot holds the bundle, so a
 * lost reply or a gap is picked up from there; a piece the device holds already is fine to send
 * again), then ota_commit. The device then checks the slot, switches and reboots on trial; the
 * watch (ota-watch.ts) sees it come back and confirm, or its loader roll it back.
 */
import { DeviceError, type DeviceClient, type Reply } from "../mqtt/device-client.ts";
import type { SignedBundle } from "./bundle-signature.ts";

/** A chunk's bytes: with the envelope (dev, id, tech of up to 32 bytes each, counters, MAC) a command stays under the device's 1,000 bytes. */
export const CHUNK_BYTES = 640;
/** Tries a command that got no reply gets before the transfer gives up. */
const TRIES = 4;

export class OtaError extends Error {
  constructor(message: string, readonly reply?: Reply) {
    super(message);
    this.name = "OtaError";
  }
}

export interface TransferOptions {
  chunkBytes?: number;
  /** How long a reply may take (wall ms); commit hashes the whole slot. */
  replyTimeoutMs?: number;
  commitTimeoutMs?: number;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

function refusal(cmd: string, r: Reply): string {
  return `${cmd} refused: ${r.error}${r.detail ? ` (${r.detail})` : ""}`;
}

/** A command, sent again when its reply does not come (a resend is safe: each is idempotent at the device). */
async function command(client: DeviceClient, cmd: string, fields: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
  for (let i = 1; ; i++) {
    try {
      return await client.command(cmd, fields, timeoutMs);
    } catch (e) {
      if (!(e instanceof DeviceError) || i >= TRIES) throw e;
    }
  }
}

/**
 * Sends the bundle and commits it; resolves with the commit's reply (the device is switching and
 * reboots), or undefined when that reply never came (the device may have switched: the watch
 * tells). Throws OtaError on a refusal.
 */
export async function sendBundle(client: DeviceClient, b: SignedBundle, o: TransferOptions = {}): Promise<Reply | undefined> {
  const chunk = o.chunkBytes ?? CHUNK_BYTES;
  const timeoutMs = o.replyTimeoutMs ?? 10_000;
  const size = b.bytes.length;
  const begun = await command(client, "ota_begin", { version: b.version, size, sig: b.sig }, timeoutMs);
  if (!begun.ok) throw new OtaError(refusal("ota_begin", begun), begun);
  let offset = 0;
  o.onProgress?.(0, size);
  while (offset < size) {
    const r = await command(client, "ota_chunk", { offset, data: b.bytes.subarray(offset, offset + chunk) }, timeoutMs);
    const next = r.next as number;
    if (!r.ok && r.error !== "gap") throw new OtaError(refusal(`ota_chunk at ${offset}`, r), r);
    if (!Number.isInteger(next) || next < 0 || next > size || (r.ok && next <= offset)) throw new OtaError(`ota_chunk at ${offset}: the device says it holds ${String(next)} bytes`, r);
    offset = next;
    o.onProgress?.(offset, size);
  }
  let committed: Reply;
  try {
    // Once: a commit whose reply was lost may have switched already, and a second one would be refused as not_begun.
    committed = await client.command("ota_commit", {}, o.commitTimeoutMs ?? 60_000);
  } catch (e) {
    if (e instanceof DeviceError) return undefined;
    throw e;
  }
  if (!committed.ok) throw new OtaError(refusal("ota_commit", committed), committed);
  return committed;
}
