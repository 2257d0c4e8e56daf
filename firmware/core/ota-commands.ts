/*
 * Bundle updates over MQTT (docs/ota.md; docs/mqtt.md, "Bundle updates"): ota_begin {version,
 * size, sig}, ota_chunk {offset, data}, ota_commit and ota_status, each a signed command that has
 * passed the envelope (device, MAC, deadline, counter) like any other. The transfer's state is a
 * Store record (a lazily loaded module on NodeMCU keeps none), the bundle goes into the port's
 * second slot in order (a resend of bytes it holds is fine; a gap is refused), and at commit the
 * slot is hashed where it lies and its signature checked under the device's OTA key before
 * anything switches: a short slot or a bad signature is refused, the slot erased and the running
 * bundle untouched. Checks that need no change come first: such a refusal leaves the counter be.
 */
import type { BundleSlot } from "../../hal/bundle-slot";
import type { Hmac } from "../../hal/hmac";
import type { Store } from "../../hal/store";
import type { CborWriter } from "./cbor-writer";
import { CTR_RECORD, replyHead, type OpenedCommand } from "./command-envelope";
import { loadDeviceConfig } from "./device-config";
import { formatInt } from "./format";
import { sendOtaAudit, sendOtaEvent } from "./ota-events";
import { OTA_SESSION, OTA_TRIAL, OTA_VERSION } from "./ota-records";
import { MAX_BUNDLE_BYTES, MAX_CHUNK_BYTES, otaMessage } from "./ota-signature";
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

interface Session {
  sig: string;
  /** Bytes the slot holds, in order from 0. */
  next: number;
  size: number;
  version: string;
}

function loadSession(store: Store): Session | undefined {
  const r = store.read(OTA_SESSION);
  const parts = r === undefined ? [] : r.slice(32).split(" ");
  if (r === undefined || parts.length !== 3) {
    return undefined;
  }
  const s: Session = { sig: r.slice(0, 32), next: Number(parts[0]), size: Number(parts[1]), version: parts[2] };
  return s.next >= 0 && s.size >= 1 && s.next <= s.size ? s : undefined;
}

function saveSession(store: Store, s: Session): boolean {
  return store.write(OTA_SESSION, s.sig + formatInt(s.next) + " " + formatInt(s.size) + " " + s.version);
}

/** Equal byte strings, looking at every byte whatever the first difference. */
function sameBytes(a: string, b: string): boolean {
  let differ = a.length === b.length ? 0 : 1;
  for (let i = 0; i < a.length && i < b.length; i++) {
    differ = differ + (a.charCodeAt(i) === b.charCodeAt(i) ? 0 : 1);
  }
  return differ === 0;
}

/** The reply's head, with error and detail when refused; `fields` more pairs follow. */
function answer(d: OtaDevice, id: string, error: string, detail: string, fields: number): CborWriter {
  const ok = error === "";
  if (!ok) {
    d.rejected++;
  }
  const w = replyHead(d.store, d.telemetry.boot, d.nowMs(), id, ok, fields + (ok ? 0 : 2));
  return ok ? w : w.text("error").text(error).text("detail").text(detail);
}

/** Checks the slot against the session and, if it is the bundle signed, switches to it at the next boot: "" or why not. */
function commit(d: OtaDevice, s: Session): string {
  const slot = d.slot();
  const digest = s.next === s.size ? slot.digest(s.size) : "";
  let why = digest === "" ? "short" : "";
  if (why === "") {
    const key = loadDeviceConfig(d.store).otaKey;
    if (key === "") {
      why = "no_ota_key";
    } else if (!sameBytes(d.hmac.sha256(key, otaMessage(slot.target, s.version, s.size, digest)), s.sig)) {
      why = "bad_signature";
    } else if (!slot.activate(s.version)) {
      why = "store_failed";
    }
  }
  d.store.erase(OTA_SESSION);
  if (why !== "") {
    slot.erase();
  }
  sendOtaEvent(d.telemetry, why === "" ? "accepted" : "refused", s.version, why, d.nowMs());
  return why;
}

export function handleOtaCommand(d: OtaDevice, c: OpenedCommand): void {
  const f = c.fields;
  const cmd = c.cmd;
  const s = loadSession(d.store);
  const trial = d.store.read(OTA_TRIAL);
  let err = "";
  let detail = "";
  let version = "";
  let size = 0;
  let sig = "";
  let offset = 0;
  let data = "";
  if (cmd === "ota_begin") {
    version = f.text("version", 32);
    if (version.indexOf(" ") >= 0) {
      f.reject("version");
    }
    size = f.int("size", 1, MAX_BUNDLE_BYTES);
    sig = f.bytes("sig", 32);
  } else if (cmd === "ota_chunk") {
    offset = f.int("offset", 0, MAX_BUNDLE_BYTES);
    data = f.bytesUpTo("data", MAX_CHUNK_BYTES);
  } else if (cmd !== "ota_commit" && cmd !== "ota_status") {
    err = "unknown_cmd";
    detail = cmd;
  }
  if (err === "" && f.bad !== "") {
    err = "bad_field";
    detail = f.bad;
  } else if (err === "" && cmd === "ota_begin" && trial !== undefined) {
    // The bundle running is not confirmed yet: its loader still needs the previous one.
    err = "on_trial";
  } else if (err === "" && cmd === "ota_begin" && loadDeviceConfig(d.store).otaKey === "") {
    err = "no_ota_key";
    sendOtaEvent(d.telemetry, "refused", version, err, d.nowMs());
  } else if (err === "" && s === undefined && (cmd === "ota_chunk" || cmd === "ota_commit")) {
    err = "not_begun";
  } else if (err === "" && s !== undefined && cmd === "ota_chunk" && offset + data.length > s.size) {
    err = "bad_field";
    detail = "offset";
  } else if (err === "" && s !== undefined && cmd === "ota_chunk" && offset > s.next) {
    err = "gap";
    detail = "offset";
  }
  if (err === "" && !d.store.write(CTR_RECORD, formatInt(c.ctr))) {
    err = "store_failed";
    detail = CTR_RECORD;
  }
  let next = s === undefined ? 0 : s.next;
  if (err === "" && cmd === "ota_begin") {
    d.slot().erase();
    next = 0;
    err = saveSession(d.store, { sig: sig, next: 0, size: size, version: version }) ? "" : "store_failed";
  } else if (err === "" && cmd === "ota_chunk" && s !== undefined && offset + data.length > s.next) {
    // Bytes the slot holds already (a resend) are not written again: Espruino's flash is written once.
    const fresh = data.slice(s.next - offset);
    if (!d.slot().write(s.next, fresh, s.size)) {
      err = "store_failed";
      detail = "slot";
    } else {
      s.next = s.next + fresh.length;
      next = s.next;
      err = saveSession(d.store, s) ? "" : "store_failed";
    }
  } else if (err === "" && cmd === "ota_commit" && s !== undefined) {
    err = commit(d, s);
    detail = err === "store_failed" ? "slot" : "";
    next = err === "" ? s.size : 0;
  }
  const status = err === "" && cmd === "ota_status";
  const w = answer(d, c.id, err, detail, status ? 4 : 1).text("next").int(next);
  if (status) {
    const confirmed = d.store.read(OTA_VERSION);
    w.text("size").int(s === undefined ? 0 : s.size).text("version").text(confirmed === undefined ? "" : confirmed)
      .text("trial").text(trial === undefined ? "" : trial.slice(2));
  }
  d.telemetry.direct("reply", w.done(), 1);
  if (err === "" && cmd === "ota_commit") {
    sendOtaAudit(d.telemetry, c.tech, cmd, c.id, s === undefined ? "" : s.version, d.nowMs());
    d.reboot();
  }
}
