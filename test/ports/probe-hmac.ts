import type { Hmac } from "../../hal/hmac";
import type { Log } from "../../hal/log";
import type { Store } from "../../hal/store";
import { formatInt } from "../../firmware/core/format";

/*
 * A firmware-side probe of an Hmac port: the test writes its vectors into the store, as
 * "hmac.in" (each: the key's and the message's lengths as 2 bytes each, big-endian, then the
 * key, then the message), and the probe logs each MAC in hex (test/hmac.test.ts).
 */

const HEX = "0123456789abcdef";

function hex(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    out += HEX.charAt(Math.floor(b / 16)) + HEX.charAt(b - Math.floor(b / 16) * 16);
  }
  return out;
}

function twoBytes(s: string, at: number): number {
  return s.charCodeAt(at) * 256 + s.charCodeAt(at + 1);
}

export function runHmacProbe(hmac: Hmac, store: Store, log: Log): void {
  const data = store.read("hmac.in");
  if (data === undefined) {
    log.error("no hmac.in in the store");
    return;
  }
  let at = 0;
  let n = 0;
  while (at < data.length) {
    const keyEnd = at + 4 + twoBytes(data, at);
    const messageEnd = keyEnd + twoBytes(data, at + 2);
    const mac = hmac.sha256(data.slice(at + 4, keyEnd), data.slice(keyEnd, messageEnd));
    log.info("mac " + formatInt(n) + " " + formatInt(mac.length) + " " + hex(mac));
    n = n + 1;
    at = messageEnd;
  }
  log.info("macs " + formatInt(n));
}
