/*
 * Opening a signed command (docs/mqtt.md, "Commands"): [body, mac] where mac is HMAC-SHA256 of
 * the body's bytes under the device's key. Checked in the documented order, the first failure
 * being the answer: shape, device, MAC, deadline and boot, counter. Nothing here changes state:
 * the caller stores the new counter once the command's own fields are good, before it acts.
 */
import type { Hmac } from "../../hal/hmac";
import type { Store } from "../../hal/store";
import { isBytes, type CborBytes, type CborMap, type CborValue } from "./cbor-value";
import { cborDecode } from "./cbor-reader";
import { CborWriter } from "./cbor-writer";
import { CommandFields } from "./command-fields";
import { round } from "./math";
import { PROTOCOL_VERSION } from "./protocol";

/** Commands are small; deeper nesting than this is an attack or a mistake. */
const MAX_DEPTH = 4;
/* Below NodeMCU's max_message_length (1024, topic included): a longer command arrives there cut short, and is refused here as too long. */
const MAX_COMMAND_BYTES = 1000;
const MAC_BYTES = 32;
/** Counters are wall-clock milliseconds on the technician's side: below 2^53, exactly. */
const MAX_CTR = 9007199254740991;

/** The Store record of the last counter accepted. */
export const CTR_RECORD = "ctr";

export function lastCounter(store: Store): number {
  const n = Number(store.read(CTR_RECORD));
  return n === n ? n : 0;
}

/**
 * A reply's head, {v, id, ok, boot, t_ms, ctr, then `fields` more pairs for the caller}. Every
 * reply carries the device's clock, boot and last accepted counter: a tool learns from any reply,
 * even "expired", what deadline and counter to sign with (small counters stay exact in a float32
 * Lua, as NodeMCU's ESP32 builds have by default).
 */
export function replyHead(store: Store, boot: number, nowMs: number, id: string, ok: boolean, fields: number): CborWriter {
  return new CborWriter().map(6 + fields).text("v").int(PROTOCOL_VERSION).text("id").text(id).text("ok").bool(ok)
    .text("boot").int(boot).text("t_ms").int(round(nowMs)).text("ctr").num(lastCounter(store));
}

export interface CommandContext {
  deviceId: string;
  key: string;
  hmac: Hmac;
  nowMs: number;
  boot: number;
  lastCtr: number;
}

export interface OpenedCommand {
  /** "" when the command may act; else the protocol's error name. */
  error: string;
  detail: string;
  /** The command's id, "" when it could not be read. */
  id: string;
  cmd: string;
  tech: string;
  ctr: number;
  fields: CommandFields;
}

/** Equal byte strings, looking at every byte whatever the first difference (a MAC's check: ota-commands.ts too). */
export function sameBytes(a: string, b: string): boolean {
  let differ = a.length === b.length ? 0 : 1;
  for (let i = 0; i < a.length && i < b.length; i++) {
    differ = differ + (a.charCodeAt(i) === b.charCodeAt(i) ? 0 : 1);
  }
  return differ === 0;
}

function refused(error: string, detail: string, id: string, fields: CommandFields): OpenedCommand {
  return { error: error, detail: detail, id: id, cmd: "", tech: "", ctr: 0, fields: fields };
}

export function openCommand(payload: string, ctx: CommandContext): OpenedCommand {
  const empty = new CommandFields({});
  if (payload.length > MAX_COMMAND_BYTES) {
    return refused("malformed", "too long", "", empty);
  }
  const outer = cborDecode(payload, MAX_DEPTH);
  const pair = outer.value as CborValue[];
  if (!outer.ok || !Array.isArray(pair) || pair.length !== 2 || !isBytes(pair[0]) || !isBytes(pair[1])) {
    return refused("malformed", outer.ok ? "not [body, mac]" : outer.error, "", empty);
  }
  const body = (pair[0] as CborBytes).data;
  const mac = (pair[1] as CborBytes).data;
  const inner = cborDecode(body, MAX_DEPTH);
  const m = inner.value as CborMap;
  if (!inner.ok || typeof m !== "object" || Array.isArray(m) || isBytes(m)) {
    return refused("malformed", inner.ok ? "body is not a map" : inner.error, "", empty);
  }
  const f = new CommandFields(m);
  const id = f.text("id", 32);
  if (f.int("v", 1, 1) !== 1 || f.bad !== "") {
    return refused("malformed", f.bad, id, f);
  }
  if (f.text("dev", 16) !== ctx.deviceId) {
    return refused("wrong_device", "dev", id, f);
  }
  if (mac.length !== MAC_BYTES || !sameBytes(ctx.hmac.sha256(ctx.key, body), mac)) {
    return refused("bad_mac", "", id, f);
  }
  const expMs = f.num("exp_ms", 0, MAX_CTR);
  const forBoot = f.has("boot") ? f.int("boot", 0, MAX_CTR) : ctx.boot;
  if (f.bad !== "" || ctx.nowMs > expMs || forBoot !== ctx.boot) {
    return refused("expired", f.bad, id, f);
  }
  const ctr = f.int("ctr", 1, MAX_CTR);
  if (f.bad !== "" || ctr <= ctx.lastCtr) {
    return refused("replayed", f.bad, id, f);
  }
  const tech = f.text("tech", 32);
  const cmd = f.text("cmd", 16);
  if (f.bad !== "") {
    return refused("bad_field", f.bad, id, f);
  }
  return { error: "", detail: "", id: id, cmd: cmd, tech: tech, ctr: ctr, fields: f };
}
