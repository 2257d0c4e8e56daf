/*
 * The back office's admission server for a live virtual gate: it holds the device's key and turns
 * each admission a trace has (its LANE.admit cells) into a signed admit command (docs/mqtt.md,
 * "Gate"), published when the board's clock reaches the admission's time. While the device is
 * online, the board's clock is held at that instant until the device has replied (holdUs), so the
 * admission reaches the firmware at the time the trace gives it whatever the broker's latency, as
 * a serial replay types it: the live gate's events can be compared with the replay's. Any other
 * command it signs (admit(), command()) holds the clock the same way while it is on its way. It
 * learns the device's boot from its status as it comes online, and from every reply the device's
 * clock (ms since its boot: the board's clock less the boot's start, which a reboot moves) and
 * last counter. After a reboot it asks for `show` before its next command (show takes any
 * deadline ahead), so as not to date an admission by the boot before; a command that still comes
 * back misdated it signs again once with what the refusal told.
 */
import { randomBytes } from "node:crypto";
import { decodeDevicePayload } from "../../tools/mqtt/device-payload.ts";
import mqtt, { type MqttClient } from "mqtt";
import { noDelay } from "../../tools/mqtt/no-delay.ts";
import { signCommand, type CommandBody } from "../../tools/mqtt/signed-command.ts";


/** How long each admit stays good on the device: within the firmware's 30 s (MAX_ADMIT_MS). */
export const ADMIT_VALID_MS = 10_000;
/** How long the server waits for a reply before it lets the clock go on (wall time). */
const REPLY_TIMEOUT_MS = 10_000;

export interface Admission {
  tUs: number;
  /** The lane's index, from 0 ("G1" is 0). */
  lane: number;
  token: string;
}

/** What became of one admission. */
export interface AdmissionResult extends Admission {
  /** The device's reply, or undefined if none came (the device offline, or its reply lost). */
  reply: Record<string, unknown> | undefined;
  /** The board's clock when the command went out, µs: later than tUs when the device was offline then. */
  sentUs: number;
}

export interface AdmissionServerOptions {
  brokerUrl: string;
  deviceId: string;
  key: Buffer;
  /** The board's clock now, µs. */
  nowUs: () => number;
  /** Resolves once the board's clock has reached tUs. */
  waitUntilUs: (tUs: number) => Promise<void>;
}

export class AdmissionServer {
  readonly results: AdmissionResult[] = [];
  private queue: Admission[] = [];
  private boot: number | undefined;
  /** The board's clock less the device's, ms: where the device's boot began on the board's timeline. */
  private bootStartMs = 0;
  /** Whether a reply of this boot has told the device's clock. */
  private clockKnown = false;
  private online = false;
  private lastCtr = 0;
  private readonly waiting = new Map<string, (r: Record<string, unknown>) => void>();
  private readonly onlineWaiters: (() => void)[] = [];
  private stopped = false;
  /** While a command is on its way, the board's time when it went: the clock waits there for the reply, as it does for the trace's admissions. */
  private inflightUs = Infinity;
  private pausedUs = Infinity;
  private running: Promise<void> | undefined;

  private constructor(private readonly client: MqttClient, private readonly o: AdmissionServerOptions) {
    // At first a retained status is an earlier run's (the broker keeps the last one): only what the device says now counts. After a reconnect it is this device's.
    let reconnected = false;
    client.on("connect", () => (reconnected = true));
    client.on("message", (topic, payload, packet) => {
      if (!packet.retain || reconnected) this.onMessage(topic, payload);
    });
    // Cut off from the broker, the server cannot tell: it takes the device as offline until its status says otherwise.
    client.on("close", () => (this.online = false));
  }

  static async connect(o: AdmissionServerOptions): Promise<AdmissionServer> {
    const client = noDelay(mqtt.connect(o.brokerUrl, { protocolVersion: 4, clean: true, reconnectPeriod: 500, clientId: `aisle-admit-${randomBytes(4).toString("hex")}` }));
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    const base = `aisle/v1/${o.deviceId}/`;
    await client.subscribeAsync([base + "status", base + "reply"], { qos: 1 });
    return new AdmissionServer(client, o);
  }

  /**
   * The instant the board's clock must wait at: the next admission's, while the device is online
   * to take it, or has not been online yet (a board dials in wall time, which at high speed is
   * seconds of its clock). Offline later, the clock goes on and the admission goes out late.
   */
  holdUs(): number {
    if (!this.online && this.everOnline) return Infinity;
    return Math.min(this.queue.length > 0 ? this.queue[0].tUs : Infinity, this.inflightUs, this.pausedUs);
  }

  /** Stops the board's clock where it is (while the device is online), or lets it go again: for a series of commands at one instant. */
  pause(on: boolean): void {
    this.pausedUs = on ? this.o.nowUs() : Infinity;
  }

  /** Whether the device has said it is online since the server started. */
  get everOnline(): boolean {
    return this.boot !== undefined;
  }

  /** Whether every admission given to play() has been sent and answered (or given up on). */
  get done(): boolean {
    return this.queue.length === 0;
  }

  /** Sends the admissions (in time order) as the board's clock reaches each. */
  play(admissions: Admission[]): void {
    this.queue = [...admissions].sort((a, b) => a.tUs - b.tUs);
    this.running = this.run();
    this.running.catch(() => {});
  }

  /**
   * Signs and sends one admit now, at the board's current time, and resolves with the reply;
   * what a test uses to send a token twice, late, or under the wrong key.
   */
  async admit(lane: number, token: string, opts: { expMs?: number; key?: Buffer; boot?: number } = {}): Promise<Record<string, unknown>> {
    const reply = await this.send({ cmd: "admit", lane: `G${lane + 1}`, token }, opts.expMs, opts.key ?? this.o.key, opts.boot);
    if (reply === undefined) throw new Error(`${this.o.deviceId} did not answer an admit within ${REPLY_TIMEOUT_MS} ms`);
    return reply;
  }

  /** Any other command of the gate's (show, reboot), signed with the device's key. */
  async command(cmd: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const reply = await this.send({ cmd, ...fields }, undefined, this.o.key, undefined);
    if (reply === undefined) throw new Error(`${this.o.deviceId} did not answer "${cmd}" within ${REPLY_TIMEOUT_MS} ms`);
    return reply;
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const w of this.onlineWaiters.splice(0)) w();
    await this.client.endAsync(true);
    await this.running;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const a = this.queue[0];
      await this.o.waitUntilUs(a.tUs);
      await this.untilOnline();
      if (this.stopped) return;
      const sentUs = this.o.nowUs();
      const reply = await this.send({ cmd: "admit", lane: `G${a.lane + 1}`, token: a.token }, undefined, this.o.key, undefined);
      this.results.push({ ...a, reply, sentUs });
      this.queue.shift();
    }
  }

  /** Resolves once the device has said it is online; rejects after wallTimeoutMs. */
  async waitOnline(wallTimeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not online within ${wallTimeoutMs} ms`)), wallTimeoutMs);
    });
    try {
      await Promise.race([this.untilOnline(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private untilOnline(): Promise<void> {
    if (this.online || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.onlineWaiters.push(resolve));
  }

  /** The device's clock now as far as its last reply tells, ms since its boot. */
  deviceNowMs(): number {
    return Math.floor(this.o.nowUs() / 1000) - this.bootStartMs;
  }

  /**
   * Sends a signed command and waits for its reply. With no deadline or boot given it dates the
   * command itself, and signs it again once when the refusal says it dated it wrong (expired, or
   * a deadline too far ahead: a reboot it had not heard of) or another tool took the counter.
   */
  private async send(fields: Record<string, unknown>, expMs: number | undefined, key: Buffer, boot: number | undefined): Promise<Record<string, unknown> | undefined> {
    if (!this.clockKnown && this.boot !== undefined && fields.cmd !== "show") await this.send({ cmd: "show" }, undefined, this.o.key, undefined);
    for (let attempt = 0; ; attempt++) {
      const ctr = ++this.lastCtr;
      const id = `${String(fields.cmd)}-${ctr}-${randomBytes(2).toString("hex")}`;
      const body: CommandBody = { dev: this.o.deviceId, ctr, id, tech: "admissions", cmd: String(fields.cmd), exp_ms: expMs ?? this.deviceNowMs() + ADMIT_VALID_MS, boot: boot ?? this.boot ?? 1, ...fields };
      const got = new Promise<Record<string, unknown> | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting.delete(id);
          resolve(undefined);
        }, REPLY_TIMEOUT_MS);
        this.waiting.set(id, (r) => {
          clearTimeout(timer);
          this.waiting.delete(id);
          resolve(r);
        });
      });
      this.inflightUs = this.o.nowUs();
      await this.client.publishAsync(`aisle/v1/${this.o.deviceId}/cmd`, signCommand(key, body), { qos: 1 });
      const reply = await got.finally(() => (this.inflightUs = Infinity));
      const misdated = expMs === undefined && boot === undefined && (reply?.error === "expired" || (reply?.error === "bad_field" && reply.detail === "exp_ms"));
      if ((reply?.error !== "replayed" && !misdated) || attempt > 0 || key !== this.o.key) return reply;
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const m = decodeDevicePayload(payload);
    if (m === undefined) return;
    if (topic.endsWith("/status")) {
      this.online = m.state === "online" && typeof m.boot === "number";
      if (this.online && m.boot !== this.boot) {
        this.boot = m.boot as number;
        this.clockKnown = false;
      }
      if (this.online) for (const w of this.onlineWaiters.splice(0)) w();
      return;
    }
    if (typeof m.ctr === "number") this.lastCtr = Math.max(this.lastCtr, m.ctr);
    // A reply's t_ms is the device's clock when it answered; while a command is on its way the board's clock waits where it went.
    if (typeof m.t_ms === "number" && typeof m.boot === "number") {
      this.bootStartMs = Math.floor(this.o.nowUs() / 1000) - m.t_ms;
      this.clockKnown = m.boot === this.boot;
    }
    if (typeof m.id === "string") this.waiting.get(m.id)?.(m);
  }
}
