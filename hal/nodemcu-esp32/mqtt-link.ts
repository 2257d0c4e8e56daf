import type { MqttLink, MqttSession } from "../mqtt-link";
import { MqttKeeper } from "../nodemcu/mqtt-keeper";

interface Held {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  token: number;
}

/**
 * MqttLink on the ESP32 (dev-esp32). Its mqtt module differs from the ESP8266's where the link
 * cares: no "puback" event, only a one-shot callback per publish that the next publish replaces,
 * and several messages in flight. A second QoS 1 publish before the first's PUBACK would take the
 * first's callback, and one of the two acks would never be told. So the link keeps one QoS 1
 * publish in flight, as the ESP8266's client does by itself, and holds what comes meanwhile, in
 * order. secure goes as 0: a boolean there would lose the callbacks after it.
 * Limit of the platform: lwt() never hands qos and retain to esp-mqtt, so the will goes at QoS 0
 * and is not retained, whatever the session asks.
 */
export class Esp32MqttLink extends MqttKeeper implements MqttLink {
  private client: Esp32MqttClient | undefined = undefined;
  private nextToken = 1;
  /** The QoS 1 publish awaiting its PUBACK; 0 when none. */
  private inFlight = 0;
  private held: { [k: number]: Held | undefined } = {};
  private head = 0;
  private tail = 0;
  private readonly onConnected: (this: void, c: Esp32MqttClient) => void;
  private readonly onDropped: (this: void, c: Esp32MqttClient) => void;
  private readonly onPuback: (this: void, c: Esp32MqttClient) => void;
  private readonly onMessage: (this: void, c: Esp32MqttClient, topic: string, data?: string) => void;

  constructor() {
    super();
    this.onConnected = (c: Esp32MqttClient): void => {
      if (c === this.client) {
        this.connected();
      } else {
        // A dial that was under way when close() came (the ESP8266 cannot stop one) came through: hang it up.
        c.close();
      }
    };
    this.onDropped = (c: Esp32MqttClient): void => {
      if (c === this.client) {
        this.dropped();
      }
    };
    this.onPuback = (c: Esp32MqttClient): void => {
      const token = this.inFlight;
      if (c !== this.client || token === 0) {
        return;
      }
      this.inFlight = 0;
      this.sendHeld();
      this.events.acked(token);
    };
    this.onMessage = (c: Esp32MqttClient, topic: string, data?: string): void => {
      if (c === this.client && this.up) {
        this.events.message(topic, data === undefined ? "" : data);
      }
    };
  }

  protected open(s: MqttSession): void {
    let c = this.client;
    if (c === undefined) {
      c = mqtt.Client(s.clientId, s.keepaliveS, s.user, s.password);
      c.lwt(s.willTopic, s.willPayload, 1, 1);
      c.on("offline", this.onDropped);
      c.on("message", this.onMessage);
      this.client = c;
    }
    c.connect(s.host, s.port, 0, 0, this.onConnected, this.onDropped);
  }

  protected hangUp(): void {
    const c = this.client;
    this.client = undefined;
    if (c !== undefined) {
      c.close();
    }
  }

  protected forget(): void {
    this.inFlight = 0;
    this.held = {};
    this.head = 0;
    this.tail = 0;
  }

  publish(topic: string, payload: string, qos: number, retain: boolean): number {
    if (!this.up || this.client === undefined) {
      return 0;
    }
    const token = this.nextToken;
    this.nextToken++;
    if (this.inFlight === 0 && this.head === this.tail) {
      this.send(topic, payload, qos, retain, token);
    } else {
      this.held[this.tail] = { topic: topic, payload: payload, qos: qos, retain: retain, token: token };
      this.tail++;
    }
    return token;
  }

  private send(topic: string, payload: string, qos: number, retain: boolean, token: number): void {
    const c = this.client;
    if (c === undefined) {
      return;
    }
    if (qos > 0) {
      // Refused (no connection, outbox full): nothing will ack it, and the app's outbox sends it again.
      this.inFlight = c.publish(topic, payload, qos, retain ? 1 : 0, this.onPuback) ? token : 0;
    } else {
      c.publish(topic, payload, 0, retain ? 1 : 0);
    }
  }

  /** Sends what was held, QoS 0 messages straight away, up to and including the next QoS 1. */
  private sendHeld(): void {
    while (this.inFlight === 0 && this.head < this.tail) {
      const m = this.held[this.head];
      this.held[this.head] = undefined;
      this.head++;
      if (m !== undefined) {
        this.send(m.topic, m.payload, m.qos, m.retain, m.token);
      }
    }
  }

  subscribe(topic: string): void {
    const c = this.client;
    if (this.up && c !== undefined) {
      // Its result says nothing: dev-esp32 compares the message id with ESP_OK.
      c.subscribe(topic, 1);
    }
  }
}
