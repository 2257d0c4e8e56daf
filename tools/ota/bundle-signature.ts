/*
 * A bundle's signature, as the device checks it (firmware/core/ota-signature.ts, the same
 * message): HMAC-SHA256 under the device's OTA key of the board and app it was built for, its
 * version and its SHA-256.
 */
import { createHash, createHmac } from "node:crypto";
import { otaMessage } from "../../firmware/core/ota-commands.ts";

export interface SignedBundle {
  /** "BOARD/APP". */
  target: string;
  version: string;
  bytes: Buffer;
  /** 32 bytes. */
  sig: Buffer;
}

export function signBundle(otaKey: Buffer, target: string, version: string, bytes: Buffer): SignedBundle {
  const digest = createHash("sha256").update(bytes).digest().toString("latin1");
  const message = Buffer.from(otaMessage(target, version, digest), "latin1");
  return { target, version, bytes, sig: createHmac("sha256", otaKey).update(message).digest() };
}

/** The version a bundle goes by unless given one: the app and the start of its SHA-256, as the Espruino installer names its app. */
export function defaultVersion(app: string, bytes: Buffer): string {
  return `${app}-${createHash("sha256").update(bytes).digest("hex").slice(0, 12)}`;
}
