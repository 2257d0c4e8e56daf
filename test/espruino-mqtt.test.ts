import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join, resolve } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MqttParser, mqttPacket } from "../hal/espruino/mqtt-packets.ts";
import type { EspruinoSocket } from "../sim/espruino/net-bridge.ts";
import { LiveEspruino } from "../sim/live/live-espruino.ts";
import { espruinoApp } from "../tools/build/espruino-bundle.ts";
import { checkDialect } from "../tools/dialect/check.ts";
import { Mosquitto } from "./support/mosquitto.ts";

/*
 * The Espruino port's MqttLink (hal/espruino/mqtt-client.ts) as flashed: the probe app
 * (test/ports/mqtt-probe.ts, shared with the NodeMCU ports) minified and pretokenised, on the
 * virtual board in a vm, driven live (sim/live/live-espruino.ts) with its net module on Node's
 * real sockets, against a real mosquitto and against a fake broker that misbehaves on purpose.
 */

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const hex = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s, "latin1") : s).toString("hex");

interface Packet {
  dir: "in" | "out";
  header: number;
  body: string;
}

interface Got {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** The wire's packets as the client's own parser (tested on its own) reads them. */
class WireReader extends MqttParser {
  constructor(private readonly dir: "in" | "out", private readonly into: Packet[]) {
    super(1 << 20);
  }
  packet(header: number, body: string): boolean {
    this.into.push({ dir: this.dir, header, body });
    return true;
  }
}

const lives: LiveEspruino[] = [];
const clients: MqttClient[] = [];
let probeCode: string;
let qos0Code: string;

/** The board, booted with "mqtt.cfg", and every packet on its wire each way. */
function boot(code: string, port: number, cfg: string, speed: number | "max" = 10): { live: LiveEspruino; wire: Packet[] } {
  const live = new LiveEspruino({ code, mode: "vm", filename: "probe.js", speed, storage: new Map([["mqtt.cfg", `127.0.0.1 ${port} ${cfg}`]]) });
  const wire: Packet[] = [];
  const parsers = new Map<string, MqttParser>();
  const ids = new Map<EspruinoSocket, number>();
  live.board.net.tap = (sock, dir, data) => {
    if (!ids.has(sock)) ids.set(sock, ids.size);
    const key = `${ids.get(sock)} ${dir}`;
    let p = parsers.get(key);
    if (p === undefined) {
      p = new WireReader(dir, wire);
      parsers.set(key, p);
    }
    p.feed(data);
  };
  lives.push(live);
  live.start();
  return { live, wire };
}

const count = (wire: Packet[], dir: "in" | "out", header: number) => wire.filter((p) => p.dir === dir && p.header === header).length;
const linesFrom = (live: LiveEspruino, re: RegExp, from = 0) => live.lines.slice(from).filter((l) => re.test(l));
const ms = (line: string) => Number(/ t=(\d+)/.exec(line)![1]);

/** Up, and its subscription granted (the nth SUBACK): what is published on its topic now reaches it. */
async function upAndSubscribed(live: LiveEspruino, wire: Packet[], n: number, from = 0): Promise<void> {
  await live.waitForLine(/^I up t=\d+ isUp=1$/, from);
  await live.waitFor(() => count(wire, "in", 0x90) >= n, `SUBACK ${n}`);
}

async function observer(broker: Mosquitto, topics: string[]): Promise<{ client: MqttClient; got: Got[] }> {
  const client = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  clients.push(client);
  const got: Got[] = [];
  client.on("message", (topic, payload, packet) => got.push({ topic, payload, qos: packet.qos, retain: packet.retain }));
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
  else await new Promise((r) => client.once("connect", r));
  return { client, got };
}

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!test()) throw new Error(`no ${what} within 15 s`);
}

beforeAll(async () => {
  probeCode = await espruinoApp(resolve("test/ports/probe-mqtt-espruino.ts"));
  qos0Code = await espruinoApp(resolve("test/ports/probe-mqtt-espruino-qos0.ts"));
});

afterEach(async () => {
  for (const live of lives.splice(0)) {
    await live.stop();
    expect(live.board.net.openCount).toBe(0);
    expect(live.board.errors).toEqual([]);
  }
  for (const c of clients.splice(0)) await c.endAsync(true);
});

it("the client and its probes are in the Espruino dialect", async () => {
  const roots = ["hal/espruino/mqtt-client.ts", "test/ports/probe-mqtt-espruino.ts", "test/ports/probe-mqtt-espruino-qos0.ts"].map((f) => resolve(f));
  expect(await checkDialect(roots, "espruino")).toEqual([]);
});

describe("the Espruino MqttLink against a real mosquitto", () => {
  const broker = new Mosquitto();

  beforeAll(async () => {
    await broker.start();
  });

  afterAll(async () => {
    await broker.stop();
  });

  it("connects, subscribes, takes a message and has its QoS 1 publishes acked, tokens being packet ids", async () => {
    const obs = await observer(broker, ["p/e1/out"]);
    const { live, wire } = boot(probeCode, broker.port, "e1 30");
    await upAndSubscribed(live, wire, 1);
    expect(live.lines[0]).toBe("I connecting isUp=0 publish=0");
    await obs.client.publishAsync("p/e1/cmd", "pub 3", { qos: 1 });
    await live.waitForLine("I acked 4");
    // The SUBSCRIBE took packet id 1.
    expect(live.lines.filter((l) => !l.startsWith("I up "))).toEqual([
      "I connecting isUp=0 publish=0", `I msg p/e1/cmd 5 ${hex("pub 3")}`,
      "I token 2 out", "I token 3 out", "I token 4 out", "I acked 2", "I acked 3", "I acked 4",
    ]);
    await until(() => obs.got.length === 3, "three messages");
    expect(obs.got.map((g) => [g.payload.toString(), g.qos, g.retain])).toEqual([["m1", 1, false], ["m2", 1, false], ["m3", 1, false]]);
    // The QoS 1 message it took was acked to the broker.
    expect(count(wire, "out", 0x40)).toBe(1);
  });

  it("carries bytes 0-255 intact both ways, run as fast as the CPU goes", async () => {
    const obs = await observer(broker, ["p/e2/echo"]);
    const { live, wire } = boot(probeCode, broker.port, "e2 30", "max");
    await upAndSubscribed(live, wire, 1);
    await obs.client.publishAsync("p/e2/cmd", Buffer.concat([Buffer.from("echo"), ALL_BYTES]), { qos: 1 });
    await live.waitForLine("I acked 2");
    expect(linesFrom(live, /^I msg /)).toEqual([`I msg p/e2/cmd 260 ${hex("echo")}${hex(ALL_BYTES)}`]);
    await until(() => obs.got.length === 1, "the echo");
    expect(obs.got[0].payload).toEqual(ALL_BYTES);
  });

  it("has its will published, retained at QoS 1, when the connection dies without DISCONNECT; then comes back and resubscribes", async () => {
    const obs = await observer(broker, ["p/e3/status", "p/e3/out"]);
    const { live, wire } = boot(probeCode, broker.port, "e3 30");
    await upAndSubscribed(live, wire, 1);
    const from = live.lines.length;
    live.board.net.sever();
    await live.waitForLine(/^I down t=\d+ isUp=0$/, from);
    await until(() => obs.got.length === 1, "the will");
    expect(obs.got[0]).toMatchObject({ topic: "p/e3/status", qos: 1 });
    expect(obs.got[0].payload.toString()).toBe("offline");
    const late = await observer(broker, ["p/e3/status"]);
    await until(() => late.got.length === 1, "the retained will");
    expect(late.got[0]).toMatchObject({ topic: "p/e3/status", qos: 1, retain: true });
    await upAndSubscribed(live, wire, 2, from);
    await obs.client.publishAsync("p/e3/cmd", "pub 1", { qos: 1 });
    await live.waitForLine(/^I acked \d+$/, from);
    await until(() => obs.got.length === 2, "m1");
    expect(obs.got[1].payload.toString()).toBe("m1");
    expect(count(wire, "out", 0xe0)).toBe(0);
  });

  it("close() sends DISCONNECT: the broker publishes no will, and the link does not redial", async () => {
    const fence = await observer(broker, []);
    await fence.client.publishAsync("p/e4/fence", "f", { qos: 1, retain: true });
    const { live, wire } = boot(probeCode, broker.port, "e4 30", 50);
    await upAndSubscribed(live, wire, 1);
    await fence.client.publishAsync("p/e4/cmd", "close", { qos: 1 });
    await live.waitForLine("I closed isUp=0 publish=0");
    expect(count(wire, "out", 0xe0)).toBe(1);
    await live.waitFor(() => live.board.net.openCount === 0, "the socket closed");
    // Retained messages come in the order of the filters: the fence's shows the status had none.
    const late = await observer(broker, ["p/e4/status", "p/e4/fence"]);
    await until(() => late.got.length === 1, "the fence");
    expect(late.got.map((g) => g.topic)).toEqual(["p/e4/fence"]);
    const closedUs = live.nowUs;
    await live.waitFor(() => live.nowUs > closedUs + 40e6, "40 virtual seconds");
    expect(count(wire, "out", 0x10)).toBe(1);
    expect(live.board.net.openCount).toBe(0);
    expect(linesFrom(live, /^I (up|down) /)).toHaveLength(1);
  });

  it("survives the broker killed and restarted: a down at each failed dial 1 s then 2 s apart, then up and subscribed again", async () => {
    const { live, wire } = boot(probeCode, broker.port, "e5 30");
    await upAndSubscribed(live, wire, 1);
    const from = live.lines.length;
    await broker.kill();
    await live.waitFor(() => linesFrom(live, /^I down /, from).length >= 3, "three downs");
    await broker.start();
    await upAndSubscribed(live, wire, 2, from);
    const downs = linesFrom(live, /^I down /, from).slice(0, 3).map(ms);
    expect(downs[1] - downs[0]).toBeGreaterThanOrEqual(1000);
    expect(downs[1] - downs[0]).toBeLessThan(1200);
    expect(downs[2] - downs[1]).toBeGreaterThanOrEqual(2000);
    expect(downs[2] - downs[1]).toBeLessThan(2200);
    const obs = await observer(broker, ["p/e5/out"]);
    await obs.client.publishAsync("p/e5/cmd", "pub 1", { qos: 1 });
    await live.waitForLine(/^I acked \d+$/, from);
    await until(() => obs.got.length === 1, "m1");
  });

  it("publishes at QoS 0 retained (token 1), with no will or user in CONNECT, and keeps alive with PINGREQ", async () => {
    const obs = await observer(broker, ["q/e7"]);
    const { live, wire } = boot(qos0Code, broker.port, "e7 1");
    await live.waitForLine("up token 1");
    // CONNECT: the flags byte follows "\0\4MQTT\4": clean session alone.
    expect(wire.find((p) => p.dir === "out" && p.header === 0x10)!.body.charCodeAt(7)).toBe(0x02);
    await until(() => obs.got.length === 1, "the QoS 0 message");
    expect(obs.got[0]).toMatchObject({ qos: 0, retain: false });
    expect(obs.got[0].payload).toEqual(Buffer.from("q0\x00\xff", "latin1"));
    const late = await observer(broker, ["q/e7"]);
    await until(() => late.got.length === 1, "the retained message");
    expect(late.got[0].retain).toBe(true);
    await live.waitFor(() => count(wire, "in", 0xd0) >= 3, "three PINGRESPs");
    expect(count(wire, "out", 0xc0)).toBeGreaterThanOrEqual(3);
    expect(linesFrom(live, /^down$/)).toEqual([]);
  });
});

describe("the Espruino MqttLink when the app throws", () => {
  const broker = new Mosquitto();

  beforeAll(async () => {
    await broker.start();
  });

  afterAll(async () => {
    await broker.stop();
  });

  it("drops the connection, whose stream it can no longer follow, and comes back", async () => {
    const obs = await observer(broker, []);
    const { live, wire } = boot(qos0Code, broker.port, "e8 30");
    await live.waitFor(() => count(wire, "in", 0x90) === 1, "SUBACK");
    await obs.client.publishAsync("q/e8/in", "boom", { qos: 1 });
    await live.waitForLine("down");
    expect(live.board.errors).toEqual(["Uncaught Error: boom"]);
    live.board.errors.splice(0);
    await live.waitFor(() => count(wire, "in", 0x90) === 2, "SUBACK again");
    await obs.client.publishAsync("q/e8/in", "after", { qos: 1 });
    await live.waitForLine("msg after");
    expect(live.lines.filter((l) => l !== "Uncaught Error: boom")).toEqual(["up token 1", "down", "up token 1", "msg after"]);
  });
});

describe("the Espruino MqttLink with a password", () => {
  it("sends user and password in CONNECT; a refused CONNACK is a down and a redial", async () => {
    const broker = new Mosquitto({ config: ["allow_anonymous false", "password_file $DIR/passwd"] });
    execFileSync("mosquitto_passwd", ["-b", "-c", join(broker.dir, "passwd"), "shelf", "s3cret"]);
    // mosquitto started as root reads it as its own user.
    chmodSync(join(broker.dir, "passwd"), 0o644);
    await broker.start();
    try {
      const right = boot(probeCode, broker.port, "e6a 30 shelf s3cret");
      await upAndSubscribed(right.live, right.wire, 1);
      const wrong = boot(probeCode, broker.port, "e6b 30 shelf wrong");
      await wrong.live.waitFor(() => linesFrom(wrong.live, /^I down /).length >= 2, "two downs");
      expect(linesFrom(wrong.live, /^I up /)).toEqual([]);
      // CONNACK 5, "not authorized", to each of two CONNECTs.
      expect(wrong.wire.filter((p) => p.dir === "in").map((p) => [p.header, hex(p.body)]).slice(0, 2)).toEqual([[0x20, "0005"], [0x20, "0005"]]);
      const connect = wrong.wire.find((p) => p.dir === "out" && p.header === 0x10)!.body;
      expect(connect.charCodeAt(7)).toBe(0x02 | 0x04 | 0x08 | 0x20 | 0x40 | 0x80);
      expect(connect.endsWith("\x00\x05shelf\x00\x05wrong")).toBe(true);
    } finally {
      await broker.stop();
    }
  });
});

/** A broker that speaks as told: each connection gets `reply(connection number, CONNECT seen)` once the CONNECT arrives. */
class FakeBroker {
  private readonly server: Server = createServer();
  readonly sockets: Socket[] = [];
  /** Connections the client closed (its FIN came). */
  readonly closedByClient: number[] = [];
  port = 0;

  constructor(private readonly reply: (n: number) => string) {}

  async start(): Promise<this> {
    this.server.on("connection", (s) => {
      const n = this.sockets.push(s) - 1;
      let replied = false;
      s.on("data", () => {
        if (replied) return;
        replied = true;
        s.write(Buffer.from(this.reply(n), "latin1"));
      });
      s.on("end", () => this.closedByClient.push(n));
      s.on("error", () => {});
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

describe("the Espruino MqttLink against a broker that misbehaves", () => {
  const CONNACK = "\x20\x02\x00\x00";
  let fake: FakeBroker | undefined;

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  it("drops a stream whose remaining length runs past four bytes, with no exception, and redials", async () => {
    fake = await new FakeBroker((n) => (n === 0 ? CONNACK + "\x30\xff\xff\xff\xff\x01" : CONNACK)).start();
    const { live } = boot(probeCode, fake.port, "m1 30");
    await live.waitForLine(/^I down t=\d+ isUp=0$/);
    await until(() => fake!.closedByClient.includes(0), "the client closing");
    await live.waitFor(() => linesFrom(live, /^I up /).length === 2, "the second up");
    expect(fake.sockets).toHaveLength(2);
  });

  it("refuses a packet over 4 KB at its header: the connection drops before the body comes", async () => {
    fake = await new FakeBroker(() => CONNACK + mqttPacket(0x30, "x".repeat(4097)).slice(0, 3)).start();
    const { live } = boot(probeCode, fake.port, "m2 30");
    await live.waitForLine(/^I down t=\d+ isUp=0$/);
    await until(() => fake!.closedByClient.includes(0), "the client closing");
    expect(linesFrom(live, /^I up /)).toHaveLength(1);
  });

  it("gives up a connection at the keepalive after a PINGREQ went unanswered, and one never accepted at the first", async () => {
    fake = await new FakeBroker((n) => (n === 0 ? CONNACK : "")).start();
    const { live, wire } = boot(probeCode, fake.port, "m3 2", 20);
    // The keepalive timer starts with the dial at t=0: a PINGREQ at 2 s, no PINGRESP by 4 s.
    await live.waitForLine("I down t=4000 isUp=0");
    expect(count(wire, "out", 0xc0)).toBe(1);
    // The redial at 5 s gets no CONNACK: given up at 7 s.
    await live.waitForLine("I down t=7000 isUp=0");
    expect(linesFrom(live, /^I up /)).toHaveLength(1);
  });
});
