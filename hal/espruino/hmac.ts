import type { Hmac } from "../hmac";
import { sha256 } from "./sha256";

/** SHA-256 of a byte string, as a 32-byte byte string. */
export type Sha256 = (data: string) => string;

/**
 * SHA-256 as this firmware has it: the crypto module's, in C, where the build has one with
 * SHA256 (Espruino's ESP32 build); plain JS otherwise (its ESP8266 builds: the 4 MB one's crypto
 * has SHA1 only, the 512 KB one has no crypto, and require throws). The firmware says which by
 * what it has, so no board setting can disagree with it.
 */
export function espruinoSha256(): Sha256 {
  let crypto: EspruinoCrypto | undefined = undefined;
  try {
    crypto = require("crypto");
  } catch (e) {
    crypto = undefined;
  }
  const c = crypto;
  if (c === undefined || c.SHA256 === undefined) {
    return sha256;
  }
  return (data: string): string => E.toString(c.SHA256!(data));
}

/** HMAC (RFC 2104) over a SHA-256: 64-byte blocks, keys longer than a block hashed first. */
export class EspruinoHmac implements Hmac {
  constructor(private readonly hash: Sha256) {}

  sha256(key: string, message: string): string {
    const k = key.length > 64 ? this.hash(key) : key;
    let inner = "";
    let outer = "";
    for (let i = 0; i < 64; i++) {
      const b = i < k.length ? k.charCodeAt(i) : 0;
      inner += String.fromCharCode(b ^ 0x36);
      outer += String.fromCharCode(b ^ 0x5c);
    }
    return this.hash(outer + this.hash(inner + message));
  }
}

/** The Hmac an app on Espruino uses: native SHA-256 where the firmware has it. */
export function espruinoHmac(): Hmac {
  return new EspruinoHmac(espruinoSha256());
}
