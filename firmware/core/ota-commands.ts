/*
 * Bundle updates over MQTT (docs/ota.md; docs/mqtt.md, "Bundle updates"): ota_begin {version,
 * size, sig}, ota_chunk {offset, data} and ota_commit, each a signed command that has passed the
 * envelope (device, MAC, deadline, counter) like any other. The transfer's state is a Store record
 * (a lazily loaded module on NodeMCU keeps none), the bundle goes into the port's second slot in
 * order (bytes it holds already may come again; a gap is refused), and at commit the slot is
 * hashed where it lies and its signature checked under the device's OTA key before anything
 * switches: a short slot or a bad signature is refused, the slot erased, the running bundle
 * untouched. A refusal before the command acts leaves the counter be, as everywhere.
 * Written small: on the ESP8266 every byte of it is flash a 64 KB bundle budget counts.
 */
import type { BundleSlot } from "../../hal/bundle-slot";
import type { Hmac } from "../../hal/hmac";
import type { Store } from "../../hal/store";
import { CTR_RECORD, replyHead, sameBytes, type OpenedCommand } from "./command-envelope";
import { loadDeviceConfig } from "./device-config";
import { formatInt } from "./format";
import { sendOtaEvent } from "./ota-events";
import { Ota } from "./ota-records";
import type { Telemetry } from "./telemetry";

/** What an update touches; the shelf's and the gate's devices both are one. */
export interface OtaDevice {
  store: Store;
  hmac: Hmac;
  telemetry: Telemetry;
  /** Commands refused since boot. */
  rejected: number;
  nowMs(): number;
  reboot(): void;
  /** The port's second slot, made for the command that needs it (NodeMCU loads its code only then). */
  slot(): BundleSlot;
}

/**
 * What a bundle's signature is the MAC of, under the device's OTA key: the board and app it was
 * built for ("BOARD/APP"), its version and its SHA-256 (32 bytes; its size is in it). The host signs the same
 * (tools/ota/bundle-signature.ts), so only this short message is ever MACed in RAM.
 */
export function otaMessage(target: string, version: string, digest: string): string {
  return "aisle-ota/v1\n" + target + "\n" + version + "\n" + digest;
}

/** Checks the slot (size, signature) and has the boot loader switch to it at the next boot (the trial record): "" or why not, the slot then erased. */
function commit(d: OtaDevice, sig: string, next: number, size: number, version: string): string {
  const slot = d.slot();
  const digest = next === size ? slot.digest(size) : "";
  // ota_begin found the key: were it gone since, the MAC under "" would not match.
  const why = digest === "" ? "short"
    : !sameBytes(d.hmac.sha256(loadDeviceConfig(d.store).otaKey, otaMessage(slot.target, version, digest)), sig) ? "bad_signature"
      : !d.store.write(Ota.TRIAL, "s " + version) ? "store_failed" : "";
  d.store.erase(Ota.SESSION);
  if (why !== "") {
    slot.erase();
    sendOtaEvent(d.telemetry, "health", "refused", version, why, d.nowMs());
  }
  return why;
}

export function handleOtaCommand(d: OtaDevice, c: OpenedCommand): void {
  const store = d.store;
  const f = c.fields;
  const cmd = c.cmd;
  const fresh = cmd === "ota_begin";
  // The session: the signature's 32 bytes, then "NEXT SIZE VERSION"; ota_begin starts one afresh.
  const r = store.read(Ota.SESSION);
  const parts = r === undefined || fresh ? [] : r.slice(32).split(" ");
  const sig = fresh ? f.bytes("sig", 32, 32) : r === undefined ? "" : r.slice(0, 32);
  let next = fresh ? 0 : Number(parts[0]);
  const size = fresh ? f.int("size", 1, Ota.MAX_BUNDLE_BYTES) : Number(parts[1]);
  const version = fresh ? f.text("version", 32) : parts.length === 3 ? parts[2] : "";
  const begun = fresh || (parts.length === 3 && next >= 0 && next <= size);
  const offset = cmd === "ota_chunk" ? f.int("offset", 0, Ota.MAX_BUNDLE_BYTES) : 0;
  const data = cmd === "ota_chunk" ? f.bytes("data", 1, Ota.MAX_CHUNK_BYTES) : "";
  let err = "";
  if (fresh) {
    if (version.indexOf(" ") >= 0) {
      f.reject("version");
    }
    // On trial, the bundle running is not confirmed yet: its loader still needs the previous one.
    err = f.bad !== "" ? "bad_field" : store.read(Ota.TRIAL) !== undefined ? "on_trial"
      : loadDeviceConfig(store).otaKey === "" ? "no_ota_key" : "";
  } else if (cmd !== "ota_chunk" && cmd !== "ota_commit") {
    err = "unknown_cmd";
  } else if (!begun) {
    err = "not_begun";
  } else if (cmd === "ota_chunk") {
    err = f.bad !== "" || offset + data.length > size ? "bad_field" : offset > next ? "gap" : "";
  }
  if (err === "" && !store.write(CTR_RECORD, formatInt(c.ctr))) {
    err = "store_failed";
  }
  if (err === "" && fresh) {
    d.slot().erase();
  } else if (err === "" && cmd === "ota_chunk" && offset + data.length > next) {
    // Bytes the slot holds already (a resend) are not written again: Espruino's flash is written once.
    err = d.slot().write(next, data.slice(next - offset), size) ? "" : "store_failed";
    next = err === "" ? offset + data.length : next;
  } else if (err === "" && cmd === "ota_commit") {
    err = commit(d, sig, next, size, version);
    // Refused, the slot was erased.
    next = err === "" ? next : 0;
  }
  if (err === "" && cmd !== "ota_commit" && !store.write(Ota.SESSION, sig + formatInt(next) + " " + formatInt(size) + " " + version)) {
    err = "store_failed";
  }
  if (err !== "") {
    d.rejected++;
  }
  const w = replyHead(store, d.telemetry.boot, d.nowMs(), c.id, err === "", err === "" ? 1 : 3);
  const detail = err === "unknown_cmd" ? cmd : err !== "bad_field" ? "" : f.bad !== "" ? f.bad : "offset";
  d.telemetry.direct("reply", (err === "" ? w : w.text("error").text(err).text("detail").text(detail)).text("next").int(begun ? next : 0).done(), 1);
  if (err === "" && cmd === "ota_commit") {
    sendOtaEvent(d.telemetry, "audit", c.tech, c.id, "bundle " + version, d.nowMs());
    d.reboot();
  }
}
