/*
 * What Telemetry writes itself: the status and its will, and the head of every outbox message.
 * A module of its own so that NodeMCU loads it, and the CBOR writer with it, only while a message
 * is being made (tools/build/lua-modules.ts): Telemetry's own code, which stays in the Lua heap
 * for good, holds neither (docs/lua-heap.md).
 */
import { CborWriter } from "./cbor-writer";
import { PROTOCOL_VERSION } from "./protocol";

/**
 * {v, state: "online", boot}, or the will {v, state: "offline"}: NodeMCU copies a will as a C
 * string, so it must hold no zero byte, and a boot count (256, 512, ...) may.
 */
export function statusPayload(online: boolean, boot: number): string {
  const w = new CborWriter().map(online ? 3 : 2).text("v").int(PROTOCOL_VERSION).text("state").text(online ? "online" : "offline");
  return (online ? w.text("boot").int(boot) : w).done();
}

/** A CborWriter with the head of an outbox message, {v, dev, boot, seq, then `fields` more pairs for the caller to write}. */
export function messageHead(dev: string, boot: number, seq: number, fields: number): CborWriter {
  return new CborWriter().map(4 + fields).text("v").int(PROTOCOL_VERSION).text("dev").text(dev)
    .text("boot").int(boot).text("seq").int(seq);
}
