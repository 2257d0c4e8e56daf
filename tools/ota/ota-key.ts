/*
 * Keys of bundle updates (docs/ota.md). The fleet key (32 bytes, a file on the host, never on a
 * device) derives each device's OTA key, K_dev = HMAC-SHA256(fleet_key, "aisle-ota/v1/" + id),
 * which is written into that device's record at provisioning (ota_key) and signs its bundles. A
 * device that is broken into gives away its own K_dev only: not the fleet key, nor another's key.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { UsageError } from "../usage-error.ts";

export function deriveOtaKey(fleetKey: Buffer, deviceId: string): Buffer {
  if (fleetKey.length !== 32) throw new UsageError(`a fleet key is 32 bytes; this one is ${fleetKey.length}`);
  return createHmac("sha256", fleetKey).update(`aisle-ota/v1/${deviceId}`, "utf8").digest();
}

/** A 32-byte key in a file: 64 hex digits on one line. `what` names it in errors (--fleet-key-file F). */
export function readKeyFile(path: string, what: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text.trim())) throw new UsageError(`${what} ${path}: a key is 64 hex digits (32 bytes), on one line`);
  return Buffer.from(text.trim(), "hex");
}
