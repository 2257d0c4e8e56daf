/*
 * The per-device config, written to the Store at flash time and never part of a bundle
 * (docs/mqtt.md): a CBOR map {v: 1, id, host, port, user, pass, key, keepalive_s, ota_key}. key
 * is the device's 32-byte HMAC key, a byte string; user and pass may be empty. ota_key (optional,
 * 32 bytes) is the key its bundle updates are signed with (docs/ota.md): without a good one the
 * device refuses every update, and otherwise works as ever. wifi_ssid and wifi_pass (optional) name
 * the Wi-Fi network the device joins at boot; without them it keeps the one the board has.
 */
import type { Store } from "../../hal/store";
import type { CborMap } from "./cbor-value";
import { cborDecode } from "./cbor-reader";
import { CommandFields } from "./command-fields";

export const DEVICE_RECORD = "device";

export interface DeviceConfig {
  id: string;
  host: string;
  port: number;
  user: string;
  pass: string;
  key: string;
  keepaliveS: number;
  /** The Wi-Fi network to join ("": the one the board already has) and its password. */
  wifiSsid: string;
  wifiPass: string;
  /** The 32-byte key bundle updates are signed with; "" when the record has none (or a malformed one). */
  otaKey: string;
  /** "" when the record was good; else the field at fault, or "missing" / "malformed". */
  bad: string;
}

export function loadDeviceConfig(store: Store): DeviceConfig {
  const text = store.read(DEVICE_RECORD);
  const r = cborDecode(text === undefined ? "" : text, 2);
  const f = new CommandFields(r.ok ? (r.value as CborMap) : {});
  const c: DeviceConfig = {
    id: f.text("id", 16), host: f.text("host", 64), port: f.int("port", 1, 65535), user: f.optionalText("user", 64),
    pass: f.optionalText("pass", 64), key: f.bytes("key", 32, 32), keepaliveS: f.int("keepalive_s", 5, 3600),
    wifiSsid: f.optionalText("wifi_ssid", 32), wifiPass: f.optionalText("wifi_pass", 64), otaKey: "", bad: "",
  };
  f.int("v", 1, 1);
  c.bad = text === undefined ? "missing" : !r.ok ? "malformed" : f.bad;
  // Read after: a bad ota_key refuses updates rather than taking the device off the network.
  c.otaKey = f.has("ota_key") ? f.bytes("ota_key", 32, 32) : "";
  return c;
}
