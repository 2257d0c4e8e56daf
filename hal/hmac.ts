/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) over byte strings. Ports use the platform's native code
 * where it has some (NodeMCU crypto.new_hmac; Espruino require("crypto").SHA256 where the build
 * has it) and portable code elsewhere: espruinoHmac(), nodemcuHmac().
 */
export interface Hmac {
  /** The 32-byte MAC of message under key, as a byte string. */
  sha256(key: string, message: string): string;
}
