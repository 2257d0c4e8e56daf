import { createHash } from "node:crypto";

/**
 * What the firmware's crypto module has (Espruino 2v29's boards/*.py): "sha256" as the ESP32 and
 * Linux builds (CRYPTO, SHA256, SHA512); "no-sha256" as the ESP8266 4 MB build (CRYPTO alone:
 * SHA1, no SHA256); "none" as the ESP8266 512 KB build (no crypto module: require throws).
 */
export type EspruinoCryptoBuild = "sha256" | "no-sha256" | "none";

/** Espruino passes a message's bytes to C as JSV_GET_AS_CHAR_ARRAY does: a string's characters, or an ArrayBuffer's or typed array's bytes. */
function messageBytes(message: unknown): Buffer {
  if (typeof message === "string") {
    for (let i = 0; i < message.length; i++) {
      if (message.charCodeAt(i) > 255) throw new TypeError(`crypto.SHA256: character ${i} of the message is not a byte (${message.charCodeAt(i)})`);
    }
    return Buffer.from(message, "latin1");
  }
  if (message instanceof ArrayBuffer) return Buffer.from(new Uint8Array(message));
  if (ArrayBuffer.isView(message)) return Buffer.from(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  throw new TypeError(`crypto.SHA256: the message must be a byte string or an ArrayBuffer, not ${message === null ? "null" : typeof message}`);
}

/**
 * require("crypto") on the virtual board: the module object, or undefined where the build has
 * none. Only what hal/espruino uses is emulated: SHA256 (jswrap_crypto.c), which returns the
 * digest as a new 32-byte ArrayBuffer.
 */
export function espruinoCrypto(build: EspruinoCryptoBuild): Record<string, unknown> | undefined {
  if (build === "none") return undefined;
  if (build === "no-sha256") return {};
  return {
    SHA256: (message: unknown): ArrayBuffer => {
      return new Uint8Array(createHash("sha256").update(messageBytes(message)).digest()).buffer;
    },
  };
}

/** The crypto module a board's firmware has: Espruino's ESP8266 boards run its 4 MB build (boards/espruino-esp8266.json), without SHA256. */
export function cryptoBuildFor(mcu: "esp8266" | "esp32"): EspruinoCryptoBuild {
  return mcu === "esp8266" ? "no-sha256" : "sha256";
}
