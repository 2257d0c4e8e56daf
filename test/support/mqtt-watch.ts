/* A back office in a test: every message under aisle/v1/#, decoded, in arrival order. */
import { decodeDevicePayload } from "../../tools/mqtt/device-payload.ts";

/* Counters and clocks are 64-bit integers on the wire: numbers here (they stay below 2^53). */
import mqtt, { type MqttClient } from "mqtt";
import { noDelay } from "../../tools/mqtt/no-delay.ts";

export interface Seen {
  topic: string;
  retain: boolean;
  body: Record<string, unknown>;
}

export class MqttWatch {
  readonly seen: Seen[] = [];

  private constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) => {
      const body = decodeDevicePayload(payload) ?? { undecodable: payload.toString("hex") };
      this.seen.push({ topic, retain: packet.retain, body });
    });
  }

  static async open(url: string, topic = "aisle/v1/#"): Promise<MqttWatch> {
    const client = noDelay(mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 200, clean: false, clientId: `watch-${Math.random().toString(36).slice(2)}` }));
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    await client.subscribeAsync(topic, { qos: 1 });
    return new MqttWatch(client);
  }

  on(suffix: string): Record<string, unknown>[] {
    return this.seen.filter((s) => s.topic.endsWith(suffix)).map((s) => s.body);
  }

  async until(test: () => boolean, what: string, timeoutMs = 30000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}; last messages: ${JSON.stringify(this.seen.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
