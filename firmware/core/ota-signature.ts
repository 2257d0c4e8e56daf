/*
 * What a bundle's signature covers (docs/ota.md): HMAC-SHA256 under the device's OTA key (derived
 * on the host from the fleet key and the device id, never the fleet key itself) of this message,
 * which names the board and app the bundle was built for, its version, its size and the SHA-256
 * of its bytes. The device hashes the slot where it lies, in pieces, so that only this short
 * message is ever MACed in RAM. The host signs with the same function (tools/ota/).
 */
import { formatInt } from "./format";

/** The largest bundle the protocol takes: today's are 20-65 KB. */
export const MAX_BUNDLE_BYTES = 131072;
/** The most bytes one ota_chunk carries: with the envelope it stays under the 1,000 bytes of a command. */
export const MAX_CHUNK_BYTES = 768;

/** The message a bundle's signature is the MAC of; digest is the 32-byte SHA-256 of the bundle. */
export function otaMessage(target: string, version: string, size: number, digest: string): string {
  return "aisle-ota/v1\n" + target + "\n" + version + "\n" + formatInt(size) + "\n" + digest;
}
