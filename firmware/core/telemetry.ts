/*
 * The device's side of the MQTT session (docs/mqtt.md): the retained status and its will, the
 * command topic, and the outbox drained one message at a time, each dropped only on its PUBACK,
 * so after any drop or reboot the queue goes out again in order. Messages that must not be lost
 * carry (dev, boot, seq) for the consumer to drop duplicates by.
 */
import type { MqttEvents, MqttLink, MqttSession } from "../../hal/mqtt-link";
import type { CborWriter } from "./cbor-writer";
import type { Outbox } from "./outbox";
import { messageHead, statusPayload } from "./telemetry-payloads";

export { PROTOCOL_VERSION } from "./protocol";

/** What the app does with a command payload that arrived. */
export type CommandSink = (payload: string) => void;

export class Telemetry implements MqttEvents {
  /** Messages of this boot so far: the last seq handed out. */
  seq = 0;
  /** The token of the outbox message on the wire, 0 when none is. */
  private inflight = 0;
  /** Messages refused by a full outbox not yet reported in an overflow message. */
  private unreported = 0;

  /** Where command payloads go; the app sets it once it has what commands act on. */
  onCommand: CommandSink = (): void => {};

  constructor(private readonly link: MqttLink, private readonly outbox: Outbox, readonly dev: string, readonly boot: number) {}

  /* The device's topic: made at each use rather than kept, as a ninth field would double the object's hash part in Lua. */
  topic(name: string): string {
    return "aisle/v1/" + this.dev + "/" + name;
  }

  start(session: MqttSession): void {
    session.willTopic = this.topic("status");
    session.willPayload = statusPayload(false, this.boot);
    this.link.connect(session, this);
  }

  /**
   * A CborWriter with the header every outbox message starts with: {v, dev, boot, seq, then
   * `fields` more pairs for the caller to write}. Hand it back to send().
   */
  begin(fields: number): CborWriter {
    this.seq++;
    return messageHead(this.dev, this.boot, this.seq, fields);
  }

  /** Queues a message for the topic (event, health, audit) and sends it when its turn comes. */
  send(topic: string, w: CborWriter): void {
    if (!this.outbox.push(this.topic(topic), w.done())) {
      this.unreported++;
    }
    this.drain();
  }

  /** Sends now, at QoS 0 and outside the outbox: periodic health, raw samples, replies are at QoS 1 but not queued. */
  direct(topic: string, payload: string, qos: number): void {
    this.link.publish(this.topic(topic), payload, qos, false);
  }

  /* Subscribed before "online" goes out: the broker takes a connection's packets in order, so whoever sees the device online can command it. */
  up(): void {
    this.link.subscribe(this.topic("cmd"));
    this.link.publish(this.topic("status"), statusPayload(true, this.boot), 1, true);
    this.inflight = 0;
    this.drain();
  }

  down(): void {
    this.inflight = 0;
  }

  message(topic: string, payload: string): void {
    if (topic === this.topic("cmd")) {
      this.onCommand(payload);
    }
  }

  acked(token: number): void {
    if (token !== this.inflight || token === 0) {
      return;
    }
    this.inflight = 0;
    this.outbox.shift();
    this.drain();
  }

  /** Messages refused by a full outbox since the device was set up. */
  dropped(): number {
    return this.outbox.dropped();
  }

  queued(): number {
    return this.outbox.size();
  }

  private drain(): void {
    if (this.inflight !== 0 || !this.link.isUp()) {
      return;
    }
    if (this.unreported > 0 && this.outbox.size() === 0) {
      const n = this.unreported;
      this.unreported = 0;
      this.send("health", this.begin(2).text("kind").text("outbox_overflow").text("dropped").int(n));
      return;
    }
    while (this.outbox.size() > 0) {
      const topic = this.outbox.topic();
      if (topic !== "") {
        this.inflight = this.link.publish(topic, this.outbox.payload(), 1, false);
        return;
      }
      // A record lost to flash trouble: skip it rather than stall the queue behind it.
      this.outbox.shift();
    }
  }
}
