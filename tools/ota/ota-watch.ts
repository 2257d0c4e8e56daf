/*
 * What an update's outcome looks like from the broker (docs/mqtt.md, "Bundle updates"): the
 * device's health events of kind "ota" for the version sent (accepted, refused, confirmed,
 * rolled_back), which come through its outbox and so survive its reboots, and its status. Opened
 * before the first command, so that nothing is missed.
 */
import { randomBytes } from "node:crypto";
import { decodeDevicePayload } from "../mqtt/device-payload.ts";
import mqtt, { type MqttClient } from "mqtt";
import { DeviceError } from "../mqtt/device-client.ts";
import { noDelay } from "../mqtt/no-delay.ts";


export interface OtaEvent {
  event: "accepted" | "refused" | "confirmed" | "rolled_back";
  version: string;
  detail: string;
  boot: number;
  seq: number;
}

export interface OtaOutcome {
  result: "confirmed" | "rolled_back" | "refused" | "timeout";
  version: string;
  /** Why, for rolled_back (crash, timeout, reboot) and refused (bad_signature, short, ...). */
  detail: string;
  /** The boot the outcome was reported from. */
  boot: number | undefined;
}

export class OtaWatch {
  readonly events: OtaEvent[] = [];
  /** The boots the device said it was online in, in order. */
  readonly online: number[] = [];
  private readonly seen = new Set<string>();
  private wake: (() => void) | undefined;

  private constructor(private readonly client: MqttClient) {
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
  }

  static async open(url: string, device: string, auth: { username?: string; password?: string } = {}): Promise<OtaWatch> {
    const client = noDelay(mqtt.connect(url, { protocolVersion: 4, clean: true, reconnectPeriod: 1000, connectTimeout: 5000, clientId: `aisle-ota-${randomBytes(4).toString("hex")}`, ...auth }));
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", (e) => reject(new DeviceError(`cannot reach the broker at ${url}: ${e.message}`)));
    });
    const watch = new OtaWatch(client);
    await client.subscribeAsync([`aisle/v1/${device}/health`, `aisle/v1/${device}/status`], { qos: 1 });
    return watch;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const m = decodeDevicePayload(payload);
    if (m === undefined) return;
    if (topic.endsWith("/status")) {
      if (m.state === "online" && typeof m.boot === "number") this.online.push(m.boot);
    } else if (m.kind === "ota") {
      // QoS 1 may deliver twice: (boot, seq) names a message.
      const id = `${m.boot}/${m.seq}`;
      if (this.seen.has(id)) return;
      this.seen.add(id);
      this.events.push({ event: m.event as OtaEvent["event"], version: String(m.version), detail: String(m.detail ?? ""), boot: Number(m.boot), seq: Number(m.seq) });
    }
    this.wake?.();
  }

  /** The first decisive event for version: confirmed, rolled_back, or refused; "timeout" when none came within timeoutMs. */
  async outcome(version: string, timeoutMs: number): Promise<OtaOutcome> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.find((x) => x.version === version && x.event !== "accepted");
      if (e !== undefined) return { result: e.event as OtaOutcome["result"], version, detail: e.detail, boot: e.boot };
      const left = end - Date.now();
      if (left <= 0) return { result: "timeout", version, detail: "", boot: undefined };
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.wake = () => (clearTimeout(t), resolve());
      });
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
