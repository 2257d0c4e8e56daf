import mqtt, { type MqttClient } from "mqtt";
import { noDelay } from "../../tools/mqtt/no-delay.ts";

/*
 * The host's half of the virtual NodeMCU's network (sim/nodemcu/mqtt-net.lua has the protocol):
 * each "~mqtt connect" the board prints opens a real mqtt.js client to a real broker, and what
 * happens on it comes back as network events ("CONN up", "CONN msg QOS TOPIC PAYLOAD", ...) that
 * the driver stamps with the board's time. mqtt.js never reconnects here: the firmware's port does.
 */

/** What the board asked for when it dialled. */
export interface BoardDial {
  conn: number;
  host: string;
  port: number;
  clientId: string;
  keepaliveS: number;
  clean: boolean;
  user: string;
  password: Buffer;
  willTopic: string;
  willPayload: Buffer;
  willQos: number;
  willRetain: boolean;
}

export type BoardMqttOp =
  | ({ op: "connect" } & BoardDial)
  | { op: "pub"; conn: number; seq: number; qos: 0 | 1 | 2; retain: boolean; topic: string; payload: Buffer }
  | { op: "sub"; conn: number; seq: number; qos: 0 | 1 | 2; topic: string }
  | { op: "close"; conn: number };

const unhex = (h: string): Buffer => (h === "-" ? Buffer.alloc(0) : Buffer.from(h, "hex"));
const hex = (b: Buffer): string => (b.length === 0 ? "-" : b.toString("hex"));

/** Parses a "~mqtt ..." line; anything malformed throws, naming the line. */
export function parseMqttLine(line: string): BoardMqttOp {
  const f = line.split(" ");
  const bad = (why: string): never => {
    throw new Error(`malformed board line (${why}): ${line.slice(0, 120)}`);
  };
  const int = (s: string | undefined): number => (s !== undefined && /^\d+$/.test(s) ? Number(s) : bad(`${s} is not a count`));
  const bytes = (s: string | undefined): Buffer => (s !== undefined && (s === "-" || /^([0-9a-f]{2})+$/.test(s)) ? unhex(s) : bad(`${s} is not hex`));
  const qos = (s: string | undefined): 0 | 1 | 2 => (s === "0" || s === "1" || s === "2" ? (Number(s) as 0 | 1 | 2) : bad(`QoS ${s}`));
  const flag = (s: string | undefined): boolean => (s === "0" || s === "1" ? s === "1" : bad(`flag ${s}`));
  const fields = (n: number) => f.length === n || bad(`${f.length} fields, not ${n}`);
  if (f[0] !== "~mqtt") bad("not an mqtt line");
  switch (f[1]) {
    case "connect":
      fields(14);
      return {
        op: "connect", conn: int(f[2]), host: bytes(f[3]).toString("latin1"), port: int(f[4]), clientId: bytes(f[5]).toString("utf8"),
        keepaliveS: int(f[6]), clean: flag(f[7]), user: bytes(f[8]).toString("utf8"), password: bytes(f[9]),
        willTopic: bytes(f[10]).toString("utf8"), willPayload: bytes(f[11]), willQos: qos(f[12]), willRetain: flag(f[13]),
      };
    case "pub":
      fields(8);
      return { op: "pub", conn: int(f[2]), seq: int(f[3]), qos: qos(f[4]), retain: flag(f[5]), topic: bytes(f[6]).toString("utf8"), payload: bytes(f[7]) };
    case "sub":
      fields(6);
      return { op: "sub", conn: int(f[2]), seq: int(f[3]), qos: qos(f[4]), topic: bytes(f[5]).toString("utf8") };
    case "close":
      fields(3);
      return { op: "close", conn: int(f[2]) };
    default:
      return bad(`unknown operation ${f[1]}`);
  }
}

/* The reason the ESP8266's connfail gives: a CONNACK's refusal code, or how the TCP side failed. */
function failReason(err: (Error & { code?: string | number }) | undefined): number {
  if (err === undefined) return -5;
  if (typeof err.code === "number") return err.code;
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") return -3;
  if (/timeout/i.test(err.message)) return -2;
  return -5;
}

interface Link {
  client: MqttClient;
  up: boolean;
  finished: boolean;
  lastError?: Error & { code?: string | number };
}

export class MqttBridge {
  private readonly links = new Map<number, Link>();
  /** Every dial the board made, in order: what it asked the broker for. */
  readonly dials: BoardDial[] = [];

  /**
   * @param emit takes an event for the board ("CONN up"); the driver stamps and sends it.
   * @param brokerUrl where every connection goes; by default the host and port the board asked for.
   */
  constructor(private readonly emit: (event: string) => void, private readonly brokerUrl?: string) {}

  handle(op: BoardMqttOp): void {
    if (op.op === "connect") return this.dial(op);
    const link = this.links.get(op.conn);
    if (link === undefined) throw new Error(`the board used mqtt connection ${op.conn}, which it never opened`);
    if (link.finished) return; // the board has not heard yet that it is gone
    if (op.op === "pub") {
      link.client.publish(op.topic, op.payload, { qos: op.qos, retain: op.retain }, (err) => {
        if (!err && !link.finished) this.emit(`${op.conn} done ${op.seq}`);
      });
    } else if (op.op === "sub") {
      link.client.subscribe(op.topic, { qos: op.qos }, (err) => {
        if (!err && !link.finished) this.emit(`${op.conn} done ${op.seq}`);
      });
    } else {
      link.client.end(false);
    }
  }

  private dial(d: BoardDial): void {
    this.dials.push(d);
    if (this.links.has(d.conn)) throw new Error(`the board opened mqtt connection ${d.conn} twice`);
    const client = noDelay(mqtt.connect(this.brokerUrl ?? `mqtt://${d.host}:${d.port}`, {
      protocolVersion: 4,
      clientId: d.clientId,
      keepalive: d.keepaliveS,
      clean: d.clean,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...(d.user !== "" ? { username: d.user } : {}),
      ...(d.password.length > 0 ? { password: d.password } : {}),
      ...(d.willTopic !== "" ? { will: { topic: d.willTopic, payload: d.willPayload, qos: d.willQos as 0 | 1 | 2, retain: d.willRetain } } : {}),
    }));
    const link: Link = { client, up: false, finished: false };
    this.links.set(d.conn, link);
    client.on("connect", () => {
      link.up = true;
      this.emit(`${d.conn} up`);
    });
    client.on("message", (topic, payload, packet) => {
      if (!link.finished) this.emit(`${d.conn} msg ${packet.qos} ${hex(Buffer.from(topic, "utf8"))} ${hex(payload)}`);
    });
    client.on("error", (err) => (link.lastError = err));
    client.on("close", () => {
      if (link.finished) return;
      link.finished = true;
      client.end(true);
      this.emit(link.up ? `${d.conn} down` : `${d.conn} fail ${failReason(link.lastError)}`);
    });
  }

  /**
   * Ends every connection: with DISCONNECT (so no will), or, for a board that lost power, by
   * dropping the sockets, so the broker publishes the wills. Tells the board nothing.
   */
  async endAll(announced: boolean): Promise<void> {
    const ends: Promise<void>[] = [];
    for (const link of this.links.values()) {
      const wasFinished = link.finished;
      link.finished = true;
      if (!wasFinished) ends.push(new Promise((resolve) => link.client.end(!announced, {}, () => resolve())));
    }
    await Promise.all(ends);
  }

  /**
   * The board restarted: its connections drop as at a power cut (no DISCONNECT, so the broker
   * publishes the wills) and are forgotten, since the next board numbers its own from 1 again.
   */
  async restart(): Promise<void> {
    await this.endAll(false);
    this.links.clear();
  }
}
