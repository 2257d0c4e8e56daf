/*
 * The gate's command set (docs/mqtt.md, "Gate"): `admit`, `show`, `reboot`. An admission is a
 * signed, expiring, single-use token: the envelope checks the device, the MAC, the deadline and
 * boot, and the counter; then the token must not have been admitted while a command carrying it
 * may still be valid. The device remembers each admitted token until its command's deadline, at
 * most MAX_ADMIT_MS ahead, so TOKEN_MEMORY tokens are all it ever needs to hold. Every admit that
 * is authentic (its MAC good) and refused is reported on `health` through the outbox.
 */
import type { BundleSlot } from "../../hal/bundle-slot";
import type { Hmac } from "../../hal/hmac";
import type { Store } from "../../hal/store";
import { CTR_RECORD, lastCounter, openCommand, replyHead } from "./command-envelope";
import type { CommandFields } from "./command-fields";
import { formatInt } from "./format";
import type { GateLane } from "./gate-events";
import { gateLaneIndex } from "./gate-payloads";
import { gateShow, GATE_SHOW_FIELDS } from "./gate-show";
import { round } from "./math";
import { handleOtaCommand } from "./ota-commands";
import type { Telemetry } from "./telemetry";

/** The furthest ahead an admit's deadline may be: a token is remembered no longer than this. */
export const MAX_ADMIT_MS = 30000;
/** Tokens remembered at once: an admission every 2 s for MAX_ADMIT_MS. */
export const TOKEN_MEMORY = 16;
/* Larger than any deadline or counter: what the envelope's own bound is. */
const MAX_MS = 9007199254740991;

/** What a command may touch; the app owns it. */
export interface GateDevice {
  store: Store;
  hmac: Hmac;
  key: string;
  telemetry: Telemetry;
  lanes: GateLane[];
  /** Events each lane published since boot: counts[lane * GATE_KINDS + gateKind(type)]. */
  counts: number[];
  /** Tokens admitted whose command may still be valid, and that command's deadline (ms since boot). */
  tokens: string[];
  tokenUntilMs: number[];
  healthPeriodS: number;
  /** Commands refused since boot. */
  rejected: number;
  nowMs(): number;
  /** An admission for lane i at tMs: every lane's due work first, as the serial build does. */
  admit(lane: number, tMs: number): void;
  reboot(): void;
  /** The second slot bundle updates go through (ota-commands.ts). */
  slot(): BundleSlot;
}

function refuse(d: GateDevice, id: string, error: string, detail: string): void {
  d.rejected++;
  d.telemetry.direct("reply", replyHead(d.store, d.telemetry.boot, d.nowMs(), id, false, 2).text("error").text(error).text("detail").text(detail).done(), 1);
}

/** An authentic admit refused: {v, dev, boot, seq, kind: "admit_refused", error, lane, token, id, t_ms} on health, through the outbox. */
function report(d: GateDevice, f: CommandFields, id: string, error: string): void {
  const t = d.telemetry;
  t.send("health", t.begin(6).text("kind").text("admit_refused").text("error").text(error).text("lane").text(f.optionalText("lane", 8))
    .text("token").text(f.optionalText("token", 32)).text("id").text(id).text("t_ms").int(round(d.nowMs())));
}

/** Drops the tokens whose commands can no longer be valid. */
function forgetTokens(d: GateDevice, nowMs: number): void {
  for (let i = d.tokens.length - 1; i >= 0; i--) {
    if (d.tokenUntilMs[i] < nowMs) {
      d.tokens.splice(i, 1);
      d.tokenUntilMs.splice(i, 1);
    }
  }
}

/** Admits one body on lane `lane` unless its token was used: "" or the error. */
function admit(d: GateDevice, lane: number, token: string, untilMs: number): string {
  const nowMs = d.nowMs();
  forgetTokens(d, nowMs);
  if (d.tokens.indexOf(token) >= 0) {
    return "token_used";
  }
  if (d.tokens.length >= TOKEN_MEMORY) {
    return "busy";
  }
  d.tokens.push(token);
  d.tokenUntilMs.push(untilMs);
  d.admit(lane, nowMs);
  return "";
}

export function handleGateCommand(d: GateDevice, payload: string): void {
  const nowMs = d.nowMs();
  const c = openCommand(payload, {
    deviceId: d.telemetry.dev, key: d.key, hmac: d.hmac, nowMs: nowMs, boot: d.telemetry.boot, lastCtr: lastCounter(d.store),
  });
  if (c.error === "" && c.cmd.slice(0, 4) === "ota_") {
    handleOtaCommand(d, c);
    return;
  }
  const f = c.fields;
  // Past the MAC (expired, replayed) a command is authentic: a refused admission is worth telling.
  const authentic = c.error === "" || c.error === "expired" || c.error === "replayed";
  const isAdmit = authentic && f.optionalText("cmd", 16) === "admit";
  let err = c.error;
  let detail = c.detail;
  let lane = -1;
  if (err === "" && c.cmd === "admit") {
    lane = gateLaneIndex(f.text("lane", 8), d.lanes.length);
    if (lane < 0) {
      f.reject("lane");
    }
    f.text("token", 32);
    // Bound to this boot: the memory of tokens does not outlive it.
    if (!f.has("boot")) {
      f.reject("boot");
    }
    if (f.num("exp_ms", 0, MAX_MS) > nowMs + MAX_ADMIT_MS) {
      f.reject("exp_ms");
    }
  } else if (err === "" && c.cmd !== "show" && c.cmd !== "reboot") {
    err = "unknown_cmd";
    detail = c.cmd;
  }
  if (err === "" && f.bad !== "") {
    err = "bad_field";
    detail = f.bad;
  }
  if (err === "" && !d.store.write(CTR_RECORD, formatInt(c.ctr))) {
    err = "store_failed";
    detail = CTR_RECORD;
  }
  if (err === "" && c.cmd === "admit") {
    // Authentic and well-formed: the counter is used up whatever the token.
    err = admit(d, lane, f.text("token", 32), f.num("exp_ms", 0, MAX_MS));
    detail = err === "" ? "" : "token";
  }
  if (err !== "") {
    refuse(d, c.id, err, detail);
    if (isAdmit) {
      report(d, f, c.id, err);
    }
    return;
  }
  const head = replyHead(d.store, d.telemetry.boot, d.nowMs(), c.id, true, c.cmd === "show" ? GATE_SHOW_FIELDS : 0);
  d.telemetry.direct("reply", c.cmd === "show" ? gateShow(d, head) : head.done(), 1);
  if (c.cmd === "reboot") {
    d.reboot();
  }
}
