/*
 * A technician's session with one device over MQTT (docs/mqtt.md): signed commands with the
 * counter after the device's last and a deadline on the device's own clock, replies matched by
 * id, and the raw stream for a live readout. Both are learnt from the device's replies: the first
 * command goes with a deadline of 0, is refused as expired, and that refusal says the device's
 * t_ms, boot and counter. Another tool may take a counter in between: a "replayed" refusal is
 * then signed again once with the counter it reports.
 */
import { randomBytes } from "node:crypto";
import { decodeDevicePayload } from "./device-payload.ts";

/* Counters and clocks are 64-bit integers on the wire: numbers here (they stay below 2^53). */
import mqtt, { type MqttClient } from "mqtt";
import { signCommand } from "./signed-command.ts";
import { noDelay } from "./no-delay.ts";

/** How long a signed command stays good on the device. */
const DEADLINE_MS = 30_000;

export interface Reply {
  v: number;
  id: string;
  ok: boolean;
  boot: number;
  t_ms: number;
  error?: string;
  detail?: string;
  [field: string]: unknown;
}

export interface RawBatch {
  cell: number;
  t_ms: number;
  counts: number[];
}

export class DeviceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeviceError";
  }
}

export class DeviceClient {
  private readonly waiting = new Map<string, (r: Reply) => void>();
  private clock: { boot: number; tMs: number; wallMs: number } | undefined;
  /** The device's last accepted counter, as its last reply said. */
  private lastCtr = 0;
  readonly raw: ((b: RawBatch) => void)[] = [];

  private constructor(private readonly client: MqttClient, readonly device: string, private readonly key: Buffer, private readonly tech: string) {
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
  }

  static async connect(url: string, device: string, key: Buffer, tech: string, auth: { username?: string; password?: string } = {}): Promise<DeviceClient> {
    if (key.length !== 32) throw new DeviceError(`the device key must be 32 bytes (64 hex digits); this one is ${key.length}`);
    const client = noDelay(mqtt.connect(url, { protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 5000, clientId: `aisle-cal-${randomBytes(4).toString("hex")}`, ...auth }));
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", (e) => reject(new DeviceError(`cannot reach the broker at ${url}: ${e.message}`)));
    });
    const base = `aisle/v1/${device}/`;
    await client.subscribeAsync([base + "reply", base + "raw"], { qos: 1 });
    return new DeviceClient(client, device, key, tech);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const msg = decodeDevicePayload(payload);
    if (msg === undefined) return;
    if (topic.endsWith("/raw")) {
      for (const f of this.raw) f(msg as unknown as RawBatch);
      return;
    }
    const r = msg as Reply;
    if (typeof r.t_ms === "number" && typeof r.boot === "number") this.clock = { boot: r.boot, tMs: r.t_ms, wallMs: Date.now() };
    if (typeof r.ctr === "number") this.lastCtr = Math.max(this.lastCtr, r.ctr);
    this.waiting.get(r.id)?.(r);
  }

  /** The device's clock now, as far as its last reply tells. */
  private deviceNow(): { boot: number; tMs: number } | undefined {
    const c = this.clock;
    return c && { boot: c.boot, tMs: c.tMs + (Date.now() - c.wallMs) };
  }

  private async once(cmd: string, fields: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    const ctr = ++this.lastCtr;
    const id = `${cmd}-${ctr.toString(36)}-${randomBytes(3).toString("hex")}`;
    const now = this.deviceNow();
    const body = { dev: this.device, ctr, id, tech: this.tech, cmd, exp_ms: now ? now.tMs + DEADLINE_MS : 0, ...(now ? { boot: now.boot } : {}), ...fields };
    const got = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new DeviceError(`${this.device} did not answer "${cmd}" within ${timeoutMs} ms: is it online? (aisle/v1/${this.device}/status)`));
      }, timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(r);
      });
    });
    await this.client.publishAsync(`aisle/v1/${this.device}/cmd`, signCommand(this.key, body), { qos: 1 });
    return got;
  }

  /** Sends a signed command and waits for its reply; the first one also learns the device's clock. */
  async command(cmd: string, fields: Record<string, unknown> = {}, timeoutMs = 5000): Promise<Reply> {
    const first = await this.once(cmd, fields, timeoutMs);
    if (first.ok || (first.error !== "expired" && first.error !== "replayed")) return first;
    return this.once(cmd, fields, timeoutMs);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

/** The device key, from a file (hex or 32 raw bytes) or AISLE_DEVICE_KEY (hex): never from the command line. */
export function readDeviceKey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return Buffer.from(hex, "hex");
  throw new DeviceError(`${where}: a device key is 64 hex digits (32 bytes)`);
}
