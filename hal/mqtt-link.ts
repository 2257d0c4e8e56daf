/**
 * An MQTT 3.1.1 session to a broker, as the firmware sees it. Payloads are byte strings: each
 * character one byte, 0–255 (Espruino strings and Lua strings both are). The port keeps the
 * session up on its own: after a drop it reconnects with backoff and says so through the events.
 * Espruino: our own client over `net` (hal/espruino); NodeMCU: mqtt.Client (hal/nodemcu).
 */
export interface MqttSession {
  host: string;
  port: number;
  clientId: string;
  /** Empty: no username/password in CONNECT. */
  user: string;
  password: string;
  keepaliveS: number;
  /** The last will: the broker publishes it, retained at QoS 1, when the session dies unannounced. */
  willTopic: string;
  willPayload: string;
}

/** What the session tells the app. One object, not several closures: on Espruino each closure costs JsVars. */
export interface MqttEvents {
  /** Connected (again): subscriptions made before a drop are gone, so subscribe here. */
  up(): void;
  /** The connection dropped or could not be made; the port will retry. */
  down(): void;
  /** A PUBLISH arrived on a subscribed topic. */
  message(topic: string, payload: string): void;
  /** The broker acknowledged (PUBACK) the QoS 1 publish that returned `token`. */
  acked(token: number): void;
}

export interface MqttLink {
  /** Opens the session and keeps it open until close(). */
  connect(session: MqttSession, events: MqttEvents): void;
  /**
   * Hands a message to the network. qos is 0 or 1. Returns a token ≥ 1 (for QoS 1, acked(token)
   * follows the PUBACK), or 0 when the session is down and nothing was sent. A QoS 1 message
   * whose PUBACK never comes is not re-sent by the link: the app's outbox owns redelivery.
   */
  publish(topic: string, payload: string, qos: number, retain: boolean): number;
  /** Subscribes at QoS 1. Only valid while up. */
  subscribe(topic: string): void;
  isUp(): boolean;
  /** Sends DISCONNECT (so no will), closes, and stops reconnecting. */
  close(): void;
}
