/*
 * Bundle updates' commands on the source, without a broker (firmware/core/ota-commands.ts, reached
 * through the gate's command handler as a device gets them): the transfer into a slot kept in
 * memory, every refusal (bad fields, NaN and huge numbers, pieces past the end, gaps, commit
 * before all pieces, bad signatures, no OTA key, a bundle on trial), what each leaves behind, and
 * the boot side (ota-boot.ts). test/mqtt-ota.test.ts runs the built bundles on a real mosquitto.
 */
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { BundleSlot } from "../hal/bundle-slot.ts";
import type { Clock } from "../hal/clock.ts";
import { handleGateCommand, type GateDevice } from "../firmware/core/gate-commands.ts";
import { otaBoot } from "../firmware/core/ota-boot.ts";
import { openOutbox } from "../firmware/core/outbox.ts";
import { Telemetry } from "../firmware/core/telemetry.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";
import { deviceConfigRecord } from "../sim/live/live-shelf.ts";
import { signBundle } from "../tools/ota/bundle-signature.ts";
import { deriveOtaKey } from "../tools/ota/ota-key.ts";
import { latin1, signCommand, type CommandBody } from "../tools/mqtt/signed-command.ts";
import { hostHmac, RecordingLink } from "./support/recording-link.ts";

/** A slot in memory that, as Espruino's flash, refuses to write a byte twice. */
class MemorySlot implements BundleSlot {
  target = "nodemcu-esp8266/gate";
  bytes: (number | undefined)[] = [];
  erased = 0;
  writes = 0;
  erase(): void {
    this.bytes = [];
    this.erased++;
  }
  write(offset: number, data: string, size: number): boolean {
    this.writes++;
    for (let i = 0; i < data.length; i++) {
      if (this.bytes[offset + i] !== undefined) throw new Error(`byte ${offset + i} written twice`);
      if (offset + i >= size) throw new Error("past the slot's size");
      this.bytes[offset + i] = data.charCodeAt(i);
    }
    return true;
  }
  digest(size: number): string {
    if (this.bytes.length !== size || this.bytes.some((b) => b === undefined)) return "";
    return createHash("sha256").update(Buffer.from(this.bytes as number[])).digest().toString("latin1");
  }
}

const KEY = Buffer.alloc(32, 7);
const FLEET = Buffer.alloc(32, 0xf1);
const DEV = "gate-7";
const OTA_KEY = deriveOtaKey(FLEET, DEV);
const BUNDLE = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37 + 11) % 256));
const hmac = hostHmac;

let link: RecordingLink;
let store: TearingStore;
let slot: MemorySlot;
let device: GateDevice;
let rebooted: number;
let ctr: number;

function send(cmd: string, fields: Record<string, unknown> = {}, key = KEY): Record<string, unknown> {
  const body: CommandBody = { dev: DEV, ctr: ++ctr, exp_ms: 60000, id: "c" + ctr, tech: "olga", cmd, ...fields };
  const before = link.on("/reply").length;
  handleGateCommand(device, latin1(signCommand(key, body)));
  const replies = link.on("/reply");
  expect(replies.length).toBe(before + 1);
  return replies[replies.length - 1];
}

/** What went out through the outbox on health, of kind "ota". */
const events = () => link.on("/health").filter((h) => h.kind === "ota");

function setUp(record: { otaKey?: Buffer } = { otaKey: OTA_KEY }): void {
  link = new RecordingLink();
  store = new TearingStore(new Map([["device", deviceConfigRecord({ deviceId: DEV, brokerUrl: "mqtt://127.0.0.1:1883", key: KEY, otaKey: record.otaKey })]]));
  slot = new MemorySlot();
  rebooted = 0;
  ctr = 0;
  const telemetry = new Telemetry(link, openOutbox(store, 32), DEV, 3);
  device = {
    store, hmac, key: latin1(KEY), telemetry, lanes: [], counts: [], tokens: [], tokenUntilMs: [], healthPeriodS: 60, rejected: 0,
    nowMs: () => 5000, admit: () => {}, reboot: () => rebooted++, slot: () => slot,
  };
}

/** Sends the whole bundle in pieces of `piece` bytes; returns each reply's next. */
function transfer(bytes: Buffer, piece = 700): number[] {
  const next: number[] = [];
  for (let at = 0; at < bytes.length; at += piece) {
    const r = send("ota_chunk", { offset: at, data: bytes.subarray(at, at + piece) });
    expect(r).toMatchObject({ ok: true });
    next.push(r.next as number);
  }
  return next;
}

const good = () => signBundle(OTA_KEY, slot.target, "gate-v2", BUNDLE);

beforeEach(() => setUp());

describe("a bundle update's commands", () => {
  it("takes a signed bundle in order, resends included, checks it at commit and switches on trial", () => {
    const b = good();
    expect(send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig })).toMatchObject({ ok: true, next: 0, ctr: 1 });
    expect(slot.erased).toBe(1);
    expect(transfer(BUNDLE.subarray(0, 1400))).toEqual([700, 1400]);
    // A reply lost: the same piece again is fine, and writes nothing twice; one that overlaps writes only its new bytes.
    expect(send("ota_chunk", { offset: 700, data: BUNDLE.subarray(700, 1400) })).toMatchObject({ ok: true, next: 1400 });
    expect(send("ota_chunk", { offset: 1000, data: BUNDLE.subarray(1000, 1700) })).toMatchObject({ ok: true, next: 1700 });
    expect(send("ota_chunk", { offset: 1700, data: BUNDLE.subarray(1700) })).toMatchObject({ ok: true, next: 2000 });
    expect(store.read("ota.t")).toBeUndefined();
    expect(send("ota_commit")).toMatchObject({ ok: true, next: 2000 });
    expect(store.read("ota.t")).toBe("s gate-v2");
    expect(rebooted).toBe(1);
    expect(store.read("ota.s")).toBeUndefined();
    expect(link.on("/audit")).toEqual([expect.objectContaining({ dev: DEV, boot: 3, tech: "olga", cmd: "ota_commit", what: "bundle gate-v2" })]);
    expect(events()).toEqual([]);
    expect(device.rejected).toBe(0);
  });

  it("refuses bad fields before acting, its counter left be: NaN and huge sizes, a short signature, a version with a space", () => {
    const b = good();
    for (const [fields, detail] of [
      [{ version: "v", size: NaN, sig: b.sig }, "size"],
      [{ version: "v", size: 1e9, sig: b.sig }, "size"],
      [{ version: "v", size: 0, sig: b.sig }, "size"],
      [{ version: "v", size: 10.5, sig: b.sig }, "size"],
      [{ version: "v", size: 100, sig: b.sig.subarray(0, 31) }, "sig"],
      [{ version: "v", size: 100, sig: "not bytes" }, "sig"],
      [{ version: "a b", size: 100, sig: b.sig }, "version"],
      [{ version: "x".repeat(33), size: 100, sig: b.sig }, "version"],
      [{ size: 100, sig: b.sig }, "version"],
    ] as const) {
      expect(send("ota_begin", fields)).toMatchObject({ ok: false, error: "bad_field", detail, ctr: 0 });
    }
    expect(slot.erased).toBe(0);
    expect(store.read("ota.s")).toBeUndefined();
    expect(device.rejected).toBe(9);
  });

  it("refuses pieces that are not where the slot is: NaN offsets, past the end, too big, empty, a gap", () => {
    const b = good();
    send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig });
    transfer(BUNDLE.subarray(0, 700));
    expect(send("ota_chunk", { offset: NaN, data: BUNDLE.subarray(700, 800) })).toMatchObject({ ok: false, error: "bad_field", detail: "offset", next: 700 });
    expect(send("ota_chunk", { offset: -1, data: BUNDLE.subarray(0, 10) })).toMatchObject({ ok: false, error: "bad_field", detail: "offset" });
    expect(send("ota_chunk", { offset: 1950, data: Buffer.alloc(100) })).toMatchObject({ ok: false, error: "bad_field", detail: "offset" });
    expect(send("ota_chunk", { offset: 700, data: Buffer.alloc(769) })).toMatchObject({ ok: false, error: "bad_field", detail: "data" });
    expect(send("ota_chunk", { offset: 700, data: Buffer.alloc(0) })).toMatchObject({ ok: false, error: "bad_field", detail: "data" });
    expect(send("ota_chunk", { offset: 700 })).toMatchObject({ ok: false, error: "bad_field", detail: "data" });
    const gap = send("ota_chunk", { offset: 1400, data: BUNDLE.subarray(1400, 2000) });
    expect(gap).toMatchObject({ ok: false, error: "gap", next: 700, ctr: 2 });
    // From where the device says it is, the transfer goes on.
    expect(send("ota_chunk", { offset: gap.next, data: BUNDLE.subarray(700, 1400) })).toMatchObject({ ok: true, next: 1400, ctr: 10 });
    expect(slot.writes).toBe(2);
  });

  it("refuses a commit before every piece came (short), erases the slot, and the bundle running stays", () => {
    const b = good();
    send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig });
    transfer(BUNDLE.subarray(0, 1400));
    expect(send("ota_commit")).toMatchObject({ ok: false, error: "short" });
    expect(slot.erased).toBe(2);
    expect(store.read("ota.t")).toBeUndefined();
    expect(rebooted).toBe(0);
    expect(events()).toEqual([expect.objectContaining({ event: "refused", version: "gate-v2", detail: "short" })]);
    // The session is gone: the transfer starts again from ota_begin.
    expect(send("ota_chunk", { offset: 1400, data: BUNDLE.subarray(1400) })).toMatchObject({ ok: false, error: "not_begun" });
    expect(send("ota_commit")).toMatchObject({ ok: false, error: "not_begun" });
  });

  for (const [what, make] of [
    ["a byte altered in a piece", () => ({ ...good(), bytes: Buffer.concat([BUNDLE.subarray(0, 999), Buffer.from([BUNDLE[999] ^ 1]), BUNDLE.subarray(1000)]) })],
    ["signed with another fleet's key", () => signBundle(deriveOtaKey(Buffer.alloc(32, 0x0e), DEV), slot.target, "gate-v2", BUNDLE)],
    ["signed for another device", () => signBundle(deriveOtaKey(FLEET, "gate-8"), slot.target, "gate-v2", BUNDLE)],
    ["unsigned (a signature of zeros)", () => ({ ...good(), sig: Buffer.alloc(32) })],
    ["built for another app", () => signBundle(OTA_KEY, "nodemcu-esp8266/shelf", "gate-v2", BUNDLE)],
    ["of another version than begun", () => ({ ...signBundle(OTA_KEY, slot.target, "gate-v3", BUNDLE), version: "gate-v2" })],
  ] as const) {
    it(`refuses a bundle ${what} at commit as bad_signature, erases the slot, keeps what runs`, () => {
      const b = make();
      expect(send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig })).toMatchObject({ ok: true });
      transfer(b.bytes);
      expect(send("ota_commit")).toMatchObject({ ok: false, error: "bad_signature", next: 0 });
      expect(store.read("ota.t")).toBeUndefined();
      expect(slot.erased).toBe(2);
      expect(rebooted).toBe(0);
      expect(store.read("ota.s")).toBeUndefined();
      expect(events()).toEqual([expect.objectContaining({ event: "refused", version: "gate-v2", detail: "bad_signature" })]);
      expect(link.on("/audit")).toEqual([]);
    });
  }

  it("refuses every update without an OTA key in the device record, and a bundle while one is on trial", () => {
    setUp({});
    const b = good();
    expect(send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig })).toMatchObject({ ok: false, error: "no_ota_key", ctr: 0 });
    setUp();
    store.write("ota.t", "r gate-v1");
    expect(send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig })).toMatchObject({ ok: false, error: "on_trial" });
    expect(slot.erased).toBe(0);
  });

  it("refuses unknown ota_ commands, and forged ones before anything (bad_mac)", () => {
    expect(send("ota_abort")).toMatchObject({ ok: false, error: "unknown_cmd", detail: "ota_abort" });
    const b = good();
    expect(send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig }, Buffer.alloc(32, 9))).toMatchObject({ ok: false, error: "bad_mac" });
    expect(slot.erased).toBe(0);
    expect(store.read("ota.s")).toBeUndefined();
  });

  it("starts afresh at a new ota_begin, the old pieces erased", () => {
    const b = good();
    send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig });
    transfer(BUNDLE.subarray(0, 700));
    expect(send("ota_begin", { version: b.version, size: b.bytes.length, sig: b.sig })).toMatchObject({ ok: true, next: 0 });
    expect(slot.bytes).toEqual([]);
    transfer(BUNDLE);
    expect(send("ota_commit")).toMatchObject({ ok: true });
  });
});

/** A clock whose timers the test runs by hand. */
class HandClock implements Clock {
  now = 0;
  timers = new Map<number, { every: number; fn: () => void; due: number }>();
  private next = 1;
  nowMs(): number {
    return this.now;
  }
  every(periodMs: number, fn: () => void): number {
    this.timers.set(this.next, { every: periodMs, fn, due: this.now + periodMs });
    return this.next++;
  }
  after(delayMs: number, fn: () => void): number {
    this.timers.set(this.next, { every: 0, fn, due: this.now + delayMs });
    return this.next++;
  }
  cancel(handle: number): void {
    this.timers.delete(handle);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
      if (due === undefined) break;
      this.now = due[1].due;
      if (due[1].every > 0) due[1].due += due[1].every;
      else this.timers.delete(due[0]);
      due[1].fn();
    }
    this.now = end;
  }
}

describe("a bundle update at boot (ota-boot.ts)", () => {
  it("reports the rollback its loader made, once", () => {
    const clock = new HandClock();
    store.write("ota.r", "timeout gate-v3");
    otaBoot(store, device.telemetry, link, clock);
    expect(events()).toEqual([expect.objectContaining({ event: "rolled_back", version: "gate-v3", detail: "timeout" })]);
    expect(store.read("ota.r")).toBeUndefined();
    expect(clock.timers.size).toBe(0);
  });

  it("confirms a bundle running on trial once the link is up, and not before", () => {
    const clock = new HandClock();
    store.write("ota.t", "r gate-v2");
    link.up = false;
    otaBoot(store, device.telemetry, link, clock);
    clock.advance(5000);
    expect(store.read("ota.t")).toBe("r gate-v2");
    link.up = true;
    clock.advance(1000);
    expect(store.read("ota.t")).toBeUndefined();
    expect(events()).toEqual([expect.objectContaining({ event: "confirmed", version: "gate-v2", detail: "" })]);
    expect(clock.timers.size).toBe(0);
  });

  it("keeps nothing when not on trial (nor when the loader has not started the trial)", () => {
    const clock = new HandClock();
    otaBoot(store, device.telemetry, link, clock);
    store.write("ota.t", "t gate-v2");
    otaBoot(store, device.telemetry, link, clock);
    expect(clock.timers.size).toBe(0);
    expect(events()).toEqual([]);
  });
});
