import type { MqttSession } from "../mqtt-link";

/*
 * MQTT 3.1.1 packets as byte strings (OASIS mqtt-v3.1.1 §2–3): what the Espruino client sends,
 * and a streaming parser for what it receives. TCP hands data over in pieces of any size, so the
 * parser keeps its place between pieces.
 */

/** The largest remaining length accepted: a bigger packet drops the connection before a byte of it is kept. */
export const MQTT_MAX_PACKET_BYTES = 4096;

export const MQTT_PINGREQ = "\xc0\x00";
export const MQTT_DISCONNECT = "\xe0\x00";

/** A two-byte big-endian integer (§1.5.2). */
export function mqttU16(n: number): string {
  return String.fromCharCode((n >> 8) & 255, n & 255);
}

export function mqttReadU16(s: string, at: number): number {
  return (s.charCodeAt(at) << 8) | s.charCodeAt(at + 1);
}

/** A length-prefixed string (§1.5.3); topics and payloads here are bytes already. */
function mqttString(s: string): string {
  return mqttU16(s.length) + s;
}

/** The fixed header (§2.2): type and flags, then the remaining length, 7 bits a byte, low first. */
export function mqttPacket(header: number, body: string): string {
  let n = body.length;
  let length = "";
  for (;;) {
    const low = n & 127;
    n = n >> 7;
    length += String.fromCharCode(n > 0 ? low | 128 : low);
    if (n === 0) break;
  }
  return String.fromCharCode(header) + length + body;
}

/** CONNECT (§3.1) with a clean session; the will, when there is one, at QoS 1 and retained. */
export function mqttConnect(s: MqttSession): string {
  let flags = 2;
  let tail = mqttString(s.clientId);
  if (s.willTopic !== "") {
    flags = flags | 4 | 8 | 32;
    tail += mqttString(s.willTopic) + mqttString(s.willPayload);
  }
  // §3.1.2.9: no password without a user name.
  if (s.user !== "") {
    flags = flags | 128;
    tail += mqttString(s.user);
    if (s.password !== "") {
      flags = flags | 64;
      tail += mqttString(s.password);
    }
  }
  return mqttPacket(0x10, "\x00\x04MQTT\x04" + String.fromCharCode(flags) + mqttU16(s.keepaliveS) + tail);
}

/** PUBLISH (§3.3); the packet id is there only at QoS 1. */
export function mqttPublish(topic: string, payload: string, qos: number, retain: boolean, id: number): string {
  const header = 0x30 | (qos << 1) | (retain ? 1 : 0);
  return mqttPacket(header, mqttString(topic) + (qos > 0 ? mqttU16(id) : "") + payload);
}

/** SUBSCRIBE (§3.8) to one filter at QoS 1. */
export function mqttSubscribe(id: number, topic: string): string {
  return mqttPacket(0x82, mqttU16(id) + mqttString(topic) + "\x01");
}

export function mqttPuback(id: number): string {
  return "\x40\x02" + mqttU16(id);
}

const AT_HEADER = 0;
const AT_LENGTH = 1;
const AT_BODY = 2;

/**
 * The packets in a byte stream that arrives in pieces of any size. The client extends it, so a
 * session is one object on Espruino (each object and closure costs JsVars there).
 */
export abstract class MqttParser {
  private rxState = AT_HEADER;
  private rxHeader = 0;
  private rxRemaining = 0;
  private rxLengthBytes = 0;
  private rxBody = "";

  constructor(private readonly rxMaxBytes: number) {}

  /** A whole packet: its first byte and its body. False: stop reading, the connection is gone. */
  abstract packet(header: number, body: string): boolean;

  /** For a new connection: forgets any packet half read. */
  reset(): void {
    this.rxState = AT_HEADER;
    this.rxBody = "";
  }

  /**
   * Reads the next piece of the stream, handing each whole packet to packet(). False when the
   * stream is malformed: a remaining length longer than four bytes (§2.2.3), or over maxBytes.
   */
  feed(data: string): boolean {
    const n = data.length;
    let i = 0;
    while (i < n) {
      if (this.rxState === AT_HEADER) {
        this.rxHeader = data.charCodeAt(i++);
        this.rxRemaining = 0;
        this.rxLengthBytes = 0;
        this.rxState = AT_LENGTH;
        continue;
      }
      if (this.rxState === AT_LENGTH) {
        const b = data.charCodeAt(i++);
        this.rxRemaining += (b & 127) << (7 * this.rxLengthBytes);
        this.rxLengthBytes++;
        if ((b & 128) !== 0) {
          if (this.rxLengthBytes === 4) return false;
          continue;
        }
        if (this.rxRemaining > this.rxMaxBytes) return false;
        // A packet with no body (PINGRESP) is whole already, and delivered below.
        this.rxState = AT_BODY;
      } else {
        const take = this.rxRemaining - this.rxBody.length;
        this.rxBody += take >= n - i ? data.substring(i) : data.substring(i, i + take);
        i += take >= n - i ? n - i : take;
      }
      if (this.rxBody.length === this.rxRemaining && !this.deliver()) return true;
    }
    return true;
  }

  private deliver(): boolean {
    const body = this.rxBody;
    this.rxBody = "";
    this.rxState = AT_HEADER;
    return this.packet(this.rxHeader, body);
  }
}
