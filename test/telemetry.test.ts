/*
 * Telemetry's outbox discipline without a broker in the way: one message on the wire at a time,
 * dropped only on its PUBACK, sent again after a drop, and a full outbox counted and reported
 * once the backlog is through. (The broker tests run the same code on a real mosquitto.)
 */
import { Decoder } from "cbor-x";
import { describe, expect, it } from "vitest";
import type { MqttEvents, MqttLink, MqttSession } from "../hal/mqtt-link.ts";
import { openOutbox } from "../firmware/core/outbox.ts";
import { Telemetry } from "../firmware/core/telemetry.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/** A link whose connection and PUBACKs the test works by hand. */
class HandLink implements MqttLink {
  up = false;
  wire: { topic: string; body: Record<string, unknown>; token: number; qos: number; retain: boolean }[] = [];
  subscribed: string[] = [];
  private token = 0;
  session: MqttSession | undefined;
  connect(s: MqttSession, _e: MqttEvents): void {
    this.session = s;
  }
  publish(topic: string, payload: string, qos: number, retain: boolean): number {
    if (!this.up) return 0;
    this.wire.push({ topic, body: decoder.decode(Buffer.from(payload, "latin1")), token: ++this.token, qos, retain });
    return this.token;
  }
  subscribe(topic: string): void {
    this.subscribed.push(topic);
  }
  isUp(): boolean {
    return this.up;
  }
  close(): void {}
  outboxed(): { topic: string; body: Record<string, unknown>; token: number }[] {
    return this.wire.filter((m) => m.qos === 1 && !m.retain);
  }
}

function event(t: Telemetry, n: number): void {
  t.send("event", t.begin(1).text("n").int(n));
}

describe("Telemetry", () => {
  it("sets the will, subscribes before it says online, and sends one outbox message at a time, each until its PUBACK", () => {
    const link = new HandLink();
    const t = new Telemetry(link, openOutbox(new TearingStore(), 10), "shelf-9", 4);
    t.start({ host: "h", port: 1, clientId: "shelf-9", user: "", password: "", keepaliveS: 30, willTopic: "", willPayload: "" });
    expect(link.session!.willTopic).toBe("aisle/v1/shelf-9/status");
    expect(decoder.decode(Buffer.from(link.session!.willPayload, "latin1"))).toEqual({ v: 1, state: "offline" });
    expect(link.session!.willPayload.includes("\u0000")).toBe(false);
    for (let n = 1; n <= 3; n++) event(t, n);
    expect(link.wire).toEqual([]);
    link.up = true;
    t.up();
    expect(link.subscribed).toEqual(["aisle/v1/shelf-9/cmd"]);
    expect(link.wire.map((m) => m.topic)).toEqual(["aisle/v1/shelf-9/status", "aisle/v1/shelf-9/event"]);
    expect(link.wire[0]).toMatchObject({ retain: true, body: { v: 1, state: "online", boot: 4 } });
    expect(link.outboxed().map((m) => m.body)).toEqual([{ v: 1, dev: "shelf-9", boot: 4, seq: 1, n: 1 }]);
    t.acked(999);
    expect(link.outboxed()).toHaveLength(1);
    t.acked(link.outboxed()[0].token);
    expect(link.outboxed().map((m) => m.body.n)).toEqual([1, 2]);
    // The connection drops before 2's PUBACK: 2 goes again after the reconnect, then 3.
    link.up = false;
    t.down();
    link.up = true;
    t.up();
    t.acked(link.outboxed().at(-1)!.token);
    t.acked(link.outboxed().at(-1)!.token);
    expect(link.outboxed().map((m) => m.body.n)).toEqual([1, 2, 2, 3]);
    expect(t.queued()).toBe(0);
  });

  it("counts what a full outbox refused and reports it once the backlog has gone", () => {
    const link = new HandLink();
    const t = new Telemetry(link, openOutbox(new TearingStore(), 3), "shelf-9", 1);
    for (let n = 1; n <= 5; n++) event(t, n);
    expect(t.queued()).toBe(3);
    expect(t.dropped()).toBe(2);
    link.up = true;
    t.up();
    for (let i = 0; i < 4; i++) t.acked(link.outboxed().at(-1)!.token);
    const bodies = link.outboxed().map((m) => m.body);
    expect(bodies.map((b) => b.n ?? b.kind)).toEqual([1, 2, 3, "outbox_overflow"]);
    expect(bodies[3]).toEqual({ v: 1, dev: "shelf-9", boot: 1, seq: 6, kind: "outbox_overflow", dropped: 2 });
    expect(t.queued()).toBe(0);
  });
});
