import type { Hmac } from "../hmac";

/*
 * HMAC-SHA256 in the firmware's C, for both chips: crypto.new_hmac is the one form both have
 * (dev-esp32's crypto has no one-shot crypto.hmac). One file for both ports: the NodeMCU-ESP32
 * port imports it from here, as it does the console.
 */

/** The Hmac an app on NodeMCU (ESP8266 or ESP32) uses. */
export function nodemcuHmac(): Hmac {
  return {
    sha256(key: string, message: string): string {
      const mac = crypto.new_hmac("SHA256", key);
      mac.update(message);
      return mac.finalize();
    },
  };
}
