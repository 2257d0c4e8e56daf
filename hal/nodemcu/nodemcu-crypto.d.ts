/** @noSelfInFile */
/*
 * NodeMCU's crypto module as both chips have it: crypto.new_hmac and crypto.new_hash, with update
 * and finalize called with a colon. The ESP8266's release branch also has a one-shot crypto.hmac(algo, data, key),
 * but dev-esp32's crypto has only new_hash and new_hmac, so the ports use new_hmac on both. The
 * module is not in NodeMCU's default build: the firmware needs it selected (LUA_USE_MODULES_CRYPTO
 * on the ESP8266, with SHA2_ENABLE, its default; CONFIG_NODEMCU_CMODULE_CRYPTO on the ESP32).
 */

interface NodeMcuHmacState {
  /** Adds bytes to the message; any number of times. */
  update(this: NodeMcuHmacState, data: string): void;
  /** The raw MAC as a byte string (32 bytes for SHA256); the object is spent afterwards. */
  finalize(this: NodeMcuHmacState): string;
}

/** A hash in progress (crypto.new_hash): update any number of times, then finalize once. */
interface NodeMcuHashState {
  update(this: NodeMcuHashState, data: string): void;
  /** The raw digest as a byte string (32 bytes for SHA256). */
  finalize(this: NodeMcuHashState): string;
}

declare namespace crypto {
  /** algo is case-insensitive ("SHA256"); key may hold any bytes, and any number of them. */
  function new_hmac(algo: string, key: string): NodeMcuHmacState;
  /** A hash fed in pieces: what hashes a bundle's slot without holding it in RAM (both chips have it). */
  function new_hash(algo: string): NodeMcuHashState;
}
