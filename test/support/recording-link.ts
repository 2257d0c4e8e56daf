import { createHmac } from "node:crypto";
import { decode } from "cbor-x";
import type { MqttEvents, MqttLink, MqttSession } from "../../hal/mqtt-link.ts";

/** An MqttLink that keeps what the firmware publishes, decoded: for tests that drive command handlers directly. */
export class RecordingLink implements MqttLink {
  sent: { topic: string; payload: Record<string, unknown> }[] = [];
  up = true;
  /** The last publish token given (the firmware waits for its PUBACK). */
  token = 0;
  connect(_s: MqttSession, _e: MqttEvents): void {}
  publish(topic: string, payload: string): number {
    this.sent.push({ topic, payload: decode(Buffer.from(payload, "latin1")) });
    return ++this.token;
  }
  subscribe(): void {}
  isUp(): boolean {
    return this.up;
  }
  close(): void {}
  /** The payloads published on topics ending in suffix ("/reply", "/health", ...), in order. */
  on(suffix: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m.topic.endsWith(suffix)).map((m) => m.payload);
  }
}

/** The firmware's Hmac port, on Node's crypto, over byte strings. */
export const hostHmac = { sha256: (k: string, m: string) => createHmac("sha256", Buffer.from(k, "latin1")).update(Buffer.from(m, "latin1")).digest().toString("latin1") };
