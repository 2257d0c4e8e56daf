import type { MqttLink, MqttSession } from "../mqtt-link";
import { MqttKeeper } from "./mqtt-keeper";

/**
 * MqttLink on the ESP8266: a thin layer over NodeMCU's mqtt client (release branch). The client
 * sends its messages one at a time and calls the one "puback" callback once for each publish, in
 * order, QoS 0 ones included (when written): so the link keeps the tokens in that order and acks
 * the oldest at each call. Reconnecting is the keeper's (mqtt-keeper.ts).
 */
export class NodeMcuMqttLink extends MqttKeeper implements MqttLink {
  private client: NodeMcuMqttClient | undefined = undefined;
  private nextToken = 1;
  /* Tokens awaiting their puback call, oldest at head (0 for QoS 0). Keyed by position, so taking one leaves no hole. */
  private waiting: { [k: number]: number | undefined } = {};
  private head = 0;
  private tail = 0;
  private readonly onConnected: (this: void, c: NodeMcuMqttClient) => void;
  private readonly onDropped: (this: void, c: NodeMcuMqttClient) => void;
  private readonly onPuback: (this: void, c: NodeMcuMqttClient) => void;
  private readonly onMessage: (this: void, c: NodeMcuMqttClient, topic: string, data?: string) => void;

  constructor() {
    super();
    // Each checks the client: after close() and a new connect(), the old one's news is stale.
    this.onConnected = (c: NodeMcuMqttClient): void => {
      if (c === this.client) {
        this.connected();
      } else {
        // A dial that was under way when close() came (the ESP8266 cannot stop one) came through: hang it up.
        c.close();
      }
    };
    this.onDropped = (c: NodeMcuMqttClient): void => {
      if (c === this.client) {
        this.dropped();
      }
    };
    this.onPuback = (c: NodeMcuMqttClient): void => {
      if (c === this.client && this.head < this.tail) {
        const token = this.waiting[this.head];
        this.waiting[this.head] = undefined;
        this.head++;
        if (token !== undefined && token > 0) {
          this.events.acked(token);
        }
      }
    };
    this.onMessage = (c: NodeMcuMqttClient, topic: string, data?: string): void => {
      if (c === this.client && this.up) {
        this.events.message(topic, data === undefined ? "" : data);
      }
    };
  }

  protected open(s: MqttSession): void {
    let c = this.client;
    if (c === undefined) {
      // cleansession is 0 unless given, whatever the docs say.
      c = mqtt.Client(s.clientId, s.keepaliveS, s.user, s.password, 1);
      c.lwt(s.willTopic, s.willPayload, 1, 1);
      c.on("offline", this.onDropped);
      c.on("puback", this.onPuback);
      c.on("message", this.onMessage);
      // A message too long for the client comes cut short: handed on all the same, so a command gets its refusal.
      c.on("overflow", this.onMessage);
      this.client = c;
    }
    c.connect(s.host, s.port, false, this.onConnected, this.onDropped);
  }

  protected hangUp(): void {
    const c = this.client;
    this.client = undefined;
    if (c !== undefined) {
      c.close();
    }
  }

  protected forget(): void {
    this.waiting = {};
    this.head = 0;
    this.tail = 0;
  }

  publish(topic: string, payload: string, qos: number, retain: boolean): number {
    const c = this.client;
    if (!this.up || c === undefined) {
      return 0;
    }
    const token = this.nextToken;
    this.nextToken++;
    c.publish(topic, payload, qos, retain ? 1 : 0);
    this.waiting[this.tail] = qos > 0 ? token : 0;
    this.tail++;
    return token;
  }

  subscribe(topic: string): void {
    const c = this.client;
    if (this.up && c !== undefined) {
      c.subscribe(topic, 1);
    }
  }
}
