import type { MqttEvents, MqttLink, MqttSession } from "../mqtt-link";
import {
  MQTT_DISCONNECT, MQTT_MAX_PACKET_BYTES, MQTT_PINGREQ, MqttParser, mqttConnect, mqttPuback, mqttPublish, mqttReadU16, mqttSubscribe,
} from "./mqtt-packets";

/** The first retry after a drop; each failure doubles it, up to RETRY_MAX_MS. A CONNACK resets it. */
export const MQTT_RETRY_FIRST_MS = 1000;
export const MQTT_RETRY_MAX_MS = 30000;
/** With keepalive off, how long a connection may take to be accepted. */
const CONNECT_TIMEOUT_MS = 30000;

const DOWN = 0;
const CONNECTING = 1;
/** CONNECT sent, waiting for the CONNACK. */
const ACCEPTING = 2;
const UP = 3;

/**
 * MqttLink over Espruino's net module: our own MQTT 3.1.1 client (Espruino's MQTT module is
 * fetched from the web at upload, which builds here must not do). One object a session (it is
 * its own parser); each connection adds four small closures (its socket's handlers and its
 * keepalive), each drop one (the retry), and a packet none.
 *
 * Tokens: publish() returns the packet id (1-65535, wrapping, never 0) at QoS 1, which acked()
 * gives back on the PUBACK, and 1 at QoS 0. Packet ids (SUBSCRIBE's too) run on across
 * reconnections, so a token from before a drop is not soon given to another message. down()
 * comes once for each attempt that ends (a drop, a refused CONNACK, a connection that failed or
 * timed out), each followed by a retry; close() calls neither. An exception from an app callback
 * drops the connection (the rest of the data it came in is lost). A refused subscription (SUBACK
 * 0x80) is not reported: the interface has no event for it.
 */
export class EspruinoMqttLink extends MqttParser implements MqttLink {
  private readonly net = require("net");
  private session: MqttSession | undefined;
  private events: MqttEvents | undefined;
  private sock: EspruinoSocket | undefined;
  /** Changes whenever a connection starts or ends, so a callback of one given up is known for one. */
  private conn = 0;
  private state = DOWN;
  private pinging = false;
  private lastId = 0;
  private retryMs = MQTT_RETRY_FIRST_MS;
  private retryTimer = -1;
  private beatTimer = -1;

  constructor() {
    super(MQTT_MAX_PACKET_BYTES);
  }

  connect(session: MqttSession, events: MqttEvents): void {
    this.close();
    this.session = session;
    this.events = events;
    this.retryMs = MQTT_RETRY_FIRST_MS;
    this.open();
  }

  publish(topic: string, payload: string, qos: number, retain: boolean): number {
    const sock = this.sock;
    if (this.state !== UP || sock === undefined) return 0;
    const token = qos > 0 ? this.nextId() : 1;
    sock.write(mqttPublish(topic, payload, qos > 0 ? 1 : 0, retain, token));
    return token;
  }

  subscribe(topic: string): void {
    const sock = this.sock;
    if (this.state === UP && sock !== undefined) sock.write(mqttSubscribe(this.nextId(), topic));
  }

  isUp(): boolean {
    return this.state === UP;
  }

  close(): void {
    if (this.retryTimer !== -1) clearTimeout(this.retryTimer);
    this.retryTimer = -1;
    const sock = this.sock;
    if (sock !== undefined && this.state >= ACCEPTING) sock.write(MQTT_DISCONNECT);
    this.drop();
  }

  /** One whole packet from the broker (the parser's call). */
  override packet(header: number, body: string): boolean {
    const conn = this.conn;
    const n = body.length;
    const events = this.events!;
    if (header >> 4 === 3 && (header & 6) < 4 && this.state === UP && n >= 2) {
      // PUBLISH at QoS 0 or 1 (we subscribe at 1, so a broker never sends 2).
      const at = 2 + mqttReadU16(body, 0);
      const qos = (header >> 1) & 3;
      if (n < at + 2 * qos) {
        this.lost(conn);
      } else {
        if (qos === 1) this.sock!.write(mqttPuback(mqttReadU16(body, at)));
        events.message(body.substring(2, at), body.substring(at + 2 * qos));
      }
    } else if (header === 0x40 && n === 2 && this.state === UP) {
      events.acked(mqttReadU16(body, 0));
    } else if (header === 0x90 && n >= 3 && this.state === UP) {
      // SUBACK: the subscription holds from here; nothing waits for it.
    } else if (header === 0xd0 && n === 0 && this.state === UP) {
      this.pinging = false;
    } else if (header === 0x20 && n === 2 && this.state === ACCEPTING && body.charCodeAt(1) === 0) {
      this.state = UP;
      this.retryMs = MQTT_RETRY_FIRST_MS;
      events.up();
    } else {
      // A refused CONNACK (§3.2.2.3: the broker closes next), or anything out of place.
      this.lost(conn);
    }
    return this.conn === conn;
  }

  private nextId(): number {
    this.lastId = this.lastId >= 65535 ? 1 : this.lastId + 1;
    return this.lastId;
  }

  private open(): void {
    this.retryTimer = -1;
    const s = this.session!;
    const link = this;
    const conn = ++this.conn;
    this.reset();
    this.pinging = false;
    this.state = CONNECTING;
    this.beatTimer = setInterval(function () {
      link.beat(conn);
    }, s.keepaliveS > 0 ? s.keepaliveS * 1000 : CONNECT_TIMEOUT_MS);
    let sock: EspruinoSocket;
    try {
      sock = this.net.connect({ host: s.host, port: s.port }, function () {
        link.opened(conn);
      });
    } catch (e) {
      // Espruino throws at once when there is no network to connect over.
      this.lost(conn);
      return;
    }
    this.sock = sock;
    sock.on("data", function (data: string) {
      if (link.conn !== conn) return;
      let ok = false;
      try {
        ok = link.feed(data);
      } finally {
        // Malformed, or an app callback threw mid-piece (Espruino prints it): the rest of the
        // piece is lost, so the stream cannot be followed any further.
        if (!ok) link.lost(conn);
      }
    });
    const gone = function (): void {
      link.lost(conn);
    };
    sock.on("close", gone);
    sock.on("error", gone);
  }

  private opened(conn: number): void {
    const sock = this.sock;
    if (conn !== this.conn || sock === undefined) return;
    this.state = ACCEPTING;
    sock.write(mqttConnect(this.session!));
  }

  /** Every keepalive: a connection not yet accepted, or a PINGREQ unanswered since the last beat, is dead. */
  private beat(conn: number): void {
    const sock = this.sock;
    if (conn !== this.conn || sock === undefined) return;
    if (this.state !== UP || this.pinging) {
      this.lost(conn);
    } else if (this.session!.keepaliveS > 0) {
      this.pinging = true;
      sock.write(MQTT_PINGREQ);
    }
  }

  private lost(conn: number): void {
    if (conn !== this.conn) return;
    this.drop();
    const link = this;
    this.retryTimer = setTimeout(function () {
      link.open();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MQTT_RETRY_MAX_MS);
    // Last, so that an app that calls close() from down() stops the retry.
    this.events!.down();
  }

  private drop(): void {
    this.conn++;
    this.state = DOWN;
    if (this.beatTimer !== -1) clearInterval(this.beatTimer);
    this.beatTimer = -1;
    const sock = this.sock;
    this.sock = undefined;
    if (sock !== undefined) sock.end();
  }
}
