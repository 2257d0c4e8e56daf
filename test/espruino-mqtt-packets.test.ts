import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MQTT_MAX_PACKET_BYTES, MqttParser, mqttConnect, mqttPacket, mqttPuback, mqttPublish, mqttSubscribe,
} from "../hal/espruino/mqtt-packets.ts";

/*
 * The Espruino MQTT client's packets and its streaming parser, run as source in Node: TCP hands
 * bytes over in pieces of any size, so every split of a stream must give the same packets.
 */

const bytes = (s: string) => [...Buffer.from(s, "latin1")];
const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

interface Got {
  packets: [number, string][];
  ok: boolean;
}

/** A parser that collects packets, and says stop after stopAfter of them. */
class Collector extends MqttParser {
  readonly packets: [number, string][] = [];
  constructor(max: number, private readonly stopAfter = Infinity) {
    super(max);
  }
  packet(header: number, body: string): boolean {
    return this.packets.push([header, body]) < this.stopAfter;
  }
}

/** Feeds the pieces in turn, as a socket's data events would, stopping at a malformed one. */
function parse(pieces: string[], max = MQTT_MAX_PACKET_BYTES, stopAfter = Infinity): Got {
  const parser = new Collector(max, stopAfter);
  const got: Got = { packets: parser.packets, ok: true };
  for (const p of pieces) {
    if (!parser.feed(p)) {
      got.ok = false;
      break;
    }
    if (got.packets.length >= stopAfter) break;
  }
  return got;
}

// What a broker sends a client, a byte string a packet: every kind, bodies of 0 to 300 bytes,
// remaining lengths of one and two bytes, and every byte value in a payload.
const STREAM: [number, string][] = [
  [0x20, "\x00\x00"],
  [0x90, "\x00\x01\x01"],
  [0x30, "\x00\x03a/b" + "hello"],
  [0x32, "\x00\x01t\x12\x34" + ALL_BYTES],
  [0x40, "\xff\xff"],
  [0xd0, ""],
  [0x33, "\x00\x00\x00\x01"],
  [0x30, "\x00\x01x" + "y".repeat(300)],
  [0xd0, ""],
];
const WIRE = STREAM.map(([h, body]) => mqttPacket(h, body)).join("");

describe("the Espruino MQTT packets", () => {
  it("encodes the remaining length 7 bits a byte, low first, in 1 to 3 bytes", () => {
    expect(bytes(mqttPacket(0xd0, ""))).toEqual([0xd0, 0]);
    expect(bytes(mqttPacket(0x30, "x".repeat(127)).slice(0, 3))).toEqual([0x30, 127, 120]);
    expect(bytes(mqttPacket(0x30, "x".repeat(128)).slice(0, 3))).toEqual([0x30, 0x80, 0x01]);
    expect(bytes(mqttPacket(0x30, "x".repeat(321)).slice(0, 3))).toEqual([0x30, 0xc1, 0x02]);
    expect(bytes(mqttPacket(0x30, "x".repeat(16384)).slice(0, 4))).toEqual([0x30, 0x80, 0x80, 0x01]);
  });

  it("writes CONNECT with clean session, keepalive, will at QoS 1 retained, user and password only when given", () => {
    const base = { host: "h", port: 1, clientId: "dev-1", user: "", password: "", keepaliveS: 60, willTopic: "", willPayload: "" };
    expect(bytes(mqttConnect(base))).toEqual([0x10, 17, 0, 4, 77, 81, 84, 84, 4, 0x02, 0, 60, 0, 5, ...bytes("dev-1")]);
    const full = mqttConnect({ ...base, user: "u", password: "p\x00\xff", willTopic: "w", willPayload: "\x00off" });
    expect(bytes(full)).toEqual([0x10, 34, 0, 4, 77, 81, 84, 84, 4, 0x02 | 0x04 | 0x08 | 0x20 | 0x40 | 0x80, 0, 60,
      0, 5, ...bytes("dev-1"), 0, 1, 119, 0, 4, 0, 111, 102, 102, 0, 1, 117, 0, 3, 112, 0, 255]);
    expect(bytes(mqttConnect({ ...base, user: "u" }))[9]).toBe(0x02 | 0x80);
  });

  it("writes PUBLISH with the packet id only at QoS 1, SUBSCRIBE at QoS 1, and PUBACK", () => {
    expect(bytes(mqttPublish("t", "\x00\xff", 0, false, 7))).toEqual([0x30, 5, 0, 1, 116, 0, 255]);
    expect(bytes(mqttPublish("t", "\x00\xff", 1, true, 0x1234))).toEqual([0x33, 7, 0, 1, 116, 0x12, 0x34, 0, 255]);
    expect(bytes(mqttSubscribe(65535, "a/#"))).toEqual([0x82, 8, 255, 255, 0, 3, 97, 47, 35, 1]);
    expect(bytes(mqttPuback(258))).toEqual([0x40, 2, 1, 2]);
  });
});

describe("the Espruino MQTT parser", () => {
  it("reads a stream in one piece", () => {
    expect(parse([WIRE])).toEqual({ packets: STREAM, ok: true });
  });

  it("reads it split in two at every byte boundary", () => {
    for (let at = 0; at <= WIRE.length; at++) {
      expect(parse([WIRE.slice(0, at), WIRE.slice(at)])).toEqual({ packets: STREAM, ok: true });
    }
  });

  it("reads it a byte at a time", () => {
    expect(parse([...WIRE])).toEqual({ packets: STREAM, ok: true });
  });

  it("reads it cut anywhere into any number of pieces", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: WIRE.length - 1 }), { maxLength: 40 }), (cuts) => {
      const at = [0, ...cuts.sort((a, b) => a - b), WIRE.length];
      const pieces = at.slice(1).map((end, i) => WIRE.slice(at[i], end));
      expect(parse(pieces)).toEqual({ packets: STREAM, ok: true });
    }), { numRuns: 300 });
  });

  it("stops reading when the sink says the connection is gone, and starts clean after reset()", () => {
    expect(parse([WIRE], MQTT_MAX_PACKET_BYTES, 2).packets).toEqual(STREAM.slice(0, 2));
    const parser = new Collector(MQTT_MAX_PACKET_BYTES);
    expect(parser.feed(WIRE.slice(0, 20))).toBe(true);
    parser.reset();
    expect(parser.feed(WIRE)).toBe(true);
    expect(parser.packets).toEqual([...STREAM.slice(0, 2), ...STREAM]);
  });

  it("takes a packet of exactly the cap and refuses one a byte over it, at its header", () => {
    const body = "\x00\x01t" + "z".repeat(MQTT_MAX_PACKET_BYTES - 3);
    expect(parse([mqttPacket(0x30, body)])).toEqual({ packets: [[0x30, body]], ok: true });
    // Only the header arrives: the parser refuses before any of the body is there to keep.
    const over = mqttPacket(0x30, body + "z");
    expect(parse([over.slice(0, 3)])).toEqual({ packets: [], ok: false });
  });

  it("refuses a remaining length over four bytes, however it is split", () => {
    const bad = "\xd0\x00" + "\x30\xff\xff\xff\xff\x01";
    for (let at = 0; at <= bad.length; at++) {
      expect(parse([bad.slice(0, at), bad.slice(at)], 1 << 30)).toEqual({ packets: [[0xd0, ""]], ok: false });
    }
    // Four bytes is the most there may be: 268,435,455 with no cap in the way.
    const most = "\x30\xff\xff\xff\x7f";
    expect(new Collector(1 << 30).feed(most)).toBe(true);
  });
});
