import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { join, resolve } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LiveLuaBoard } from "../sim/live/live-lua.ts";
import { parseMqttLine } from "../sim/live/mqtt-bridge.ts";
import { luaBundle } from "../tools/build/lua-bundle.ts";
import { checkDialect } from "../tools/dialect/check.ts";
import { Mosquitto } from "./support/mosquitto.ts";

/*
 * The NodeMCU ports' MqttLink (hal/nodemcu/mqtt-link.ts, hal/nodemcu-esp32/mqtt-link.ts) on the
 * virtual board under real Lua interpreters, its mqtt module bridged to a real mosquitto. The probe
 * (test/ports/mqtt-probe.ts) logs what the link tells it; a host mqtt.js client plays the server.
 */

interface Run {
  name: string;
  interpreter: string;
  lua: "5.1" | "5.3";
  mcu: "esp8266" | "esp32";
}

const RUNS: Run[] = [
  { name: "ESP8266 under lua5.1", interpreter: "lua5.1", lua: "5.1", mcu: "esp8266" },
  { name: "ESP8266 under lua5.3", interpreter: "lua5.3", lua: "5.3", mcu: "esp8266" },
  { name: "ESP8266 under luajit", interpreter: "luajit", lua: "5.1", mcu: "esp8266" },
  { name: "ESP32 under lua5.3", interpreter: "lua5.3", lua: "5.3", mcu: "esp32" },
];

const bundles = new Map<string, string>();
function probeBundle(run: Run): string {
  const key = `${run.mcu} ${run.lua}`;
  if (!bundles.has(key)) {
    const esp32 = run.mcu === "esp32";
    const entry = resolve(esp32 ? "test/ports/probe-mqtt-nodemcu-esp32.ts" : "test/ports/probe-mqtt-nodemcu.ts");
    bundles.set(key, luaBundle(entry, run.lua, "probe.lua", esp32 ? "nodemcu-esp32" : "nodemcu"));
  }
  return bundles.get(key)!;
}

const boards: LiveLuaBoard[] = [];
const clients: MqttClient[] = [];

async function boot(run: Run, broker: Mosquitto, id: string, speed = 10, credentials = "", closeAtOnce = false): Promise<LiveLuaBoard> {
  const board = await LiveLuaBoard.start({
    interpreter: run.interpreter,
    mcu: run.mcu,
    heapBytes: run.mcu === "esp32" ? 180000 : 44000,
    files: { "probe.lua": probeBundle(run), "mqtt.cfg": `127.0.0.1 ${broker.port} ${id} 30${credentials}`, ...(closeAtOnce ? { "mqtt.close": "1" } : {}) },
    init: "probe.lua",
    app: "probe.lua",
    speed,
  });
  boards.push(board);
  return board;
}

/** A host client, subscribed to the probe's topics; resolves once SUBACKed. */
async function observer(broker: Mosquitto, topic: string): Promise<{ client: MqttClient; got: { topic: string; payload: Buffer; qos: number; retain: boolean }[] }> {
  const client = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  clients.push(client);
  const got: { topic: string; payload: Buffer; qos: number; retain: boolean }[] = [];
  client.on("message", (t, payload, packet) => got.push({ topic: t, payload, qos: packet.qos, retain: packet.retain }));
  await client.subscribeAsync(topic, { qos: 1 });
  return { client, got };
}

/** Waits for the board's SUBACK on its command topic after the line `from`: then what is published there reaches it. */
async function subscribed(board: LiveLuaBoard, from: number): Promise<void> {
  const sub = await board.waitFor(/^~mqtt sub \d+ \d+ 1 /, 10000, from);
  const [, , conn, seq] = sub.split(" ");
  await board.waitFor((l) => new RegExp(`^> N \\d+ ${conn} done ${seq}$`).test(l), 10000, from);
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${what} within 10 s`);
}

/** The retained message on topic, if any: a sentinel published after subscribing comes back behind it. */
async function retained(broker: Mosquitto, topic: string): Promise<{ payload: string; qos: number } | undefined> {
  const { client, got } = await observer(broker, topic);
  await client.publishAsync(topic, "sentinel", { qos: 1 });
  await until(() => got.find((m) => m.payload.toString() === "sentinel"), "sentinel");
  const first = got[0];
  return first.retain ? { payload: first.payload.toString("latin1"), qos: first.qos } : undefined;
}

afterEach(async () => {
  await Promise.all(boards.splice(0).map((b) => b.stop()));
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe.each(RUNS)("MqttLink on NodeMCU, $name, against a real mosquitto", (run) => {
  const broker = new Mosquitto();
  const tag = `${run.mcu === "esp32" ? "e" : "n"}${run.interpreter.replace(/\W/g, "")}`;

  beforeAll(async () => {
    await broker.start();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it("connects, takes a message, publishes at QoS 1 with tokens acked in order, and carries bytes 0-255 both ways", async () => {
    const id = `${tag}-a`;
    const watch = await observer(broker, `p/${id}/#`);
    const board = await boot(run, broker, id);
    await board.waitFor(/^I up t=\d+ isUp=1$/);
    expect(board.lines).toContain("I connecting isUp=0 publish=0");
    const dial = board.bridge.dials[0];
    expect(dial).toMatchObject({ clientId: id, keepaliveS: 30, clean: true, user: "", willTopic: `p/${id}/status`, willPayload: Buffer.from("offline") });
    await subscribed(board, 0);

    await watch.client.publishAsync(`p/${id}/cmd`, "pub 3", { qos: 1 });
    await board.waitFor(/^I acked 3$/);
    const log = board.lines.filter((l) => /^I (msg|token|acked)/.test(l));
    expect(log).toEqual([`I msg p/${id}/cmd 5 ${Buffer.from("pub 3").toString("hex")}`, `I token 1 out`, `I token 2 out`, `I token 3 out`, "I acked 1", "I acked 2", "I acked 3"]);
    await until(() => (watch.got.filter((m) => m.topic === `p/${id}/out`).length === 3 ? true : undefined), "three messages");
    expect(watch.got.filter((m) => m.topic === `p/${id}/out`).map((m) => [m.payload.toString(), m.qos, m.retain])).toEqual([["m1", 1, false], ["m2", 1, false], ["m3", 1, false]]);

    const from = board.lines.length;
    await watch.client.publishAsync(`p/${id}/cmd`, Buffer.concat([Buffer.from("echo"), ALL_BYTES]), { qos: 1 });
    await board.waitFor(/^I acked 4$/, 10000, from);
    expect(board.lines).toContain(`I msg p/${id}/cmd 260 ${Buffer.from("echo").toString("hex")}${ALL_BYTES.toString("hex")}`);
    const echo = await until(() => watch.got.find((m) => m.topic === `p/${id}/echo`), "the echo");
    expect(echo.payload.equals(ALL_BYTES)).toBe(true);
  });

  it(run.mcu === "esp32"
    ? "publishes the will when the board loses power, at QoS 0 and not retained (dev-esp32 drops lwt's qos and retain)"
    : "publishes the will, retained at QoS 1, when the board loses power", async () => {
    const id = `${tag}-w`;
    const board = await boot(run, broker, id);
    await board.waitFor(/^I up /);
    await subscribed(board, 0);
    const watch = await observer(broker, `p/${id}/status`);
    expect(watch.got).toEqual([]);
    await board.powerCut();
    const will = await until(() => watch.got[0], "the will");
    expect(will.payload.toString()).toBe("offline");
    if (run.mcu === "esp32") {
      expect(will.qos).toBe(0);
      expect(await retained(broker, `p/${id}/status`)).toBeUndefined();
    } else {
      expect(will.qos).toBe(1);
      expect(await retained(broker, `p/${id}/status`)).toEqual({ payload: "offline", qos: 1 });
    }
  });

  it("close() sends DISCONNECT, so no will, and dials no more (the board's clock running flat out)", async () => {
    const id = `${tag}-c`;
    const board = await boot(run, broker, id, Infinity);
    await board.waitFor(/^I up /);
    await subscribed(board, 0);
    const watch = await observer(broker, `p/${id}/#`);
    await watch.client.publishAsync(`p/${id}/cmd`, "close", { qos: 1 });
    await board.waitFor(/^I closed /);
    expect(board.lines).toContain("I closed isUp=0 publish=0");
    const closedAt = board.nowUs;
    await board.waitFor(new RegExp(`^~mqtt close ${board.bridge.dials[0].conn}$`));
    // Past the first redial a drop would have brought (1 s).
    await board.waitUntilUs(closedAt + 5_000_000);
    expect(board.bridge.dials).toHaveLength(1);
    expect(board.lines.filter((l) => /^I (up|down)/.test(l))).toHaveLength(1);
    expect(await retained(broker, `p/${id}/status`)).toBeUndefined();
    expect(watch.got.filter((m) => m.topic === `p/${id}/status` && m.payload.toString() !== "sentinel")).toEqual([]);
  });

  it("close() while the dial is under way: the connection, if it comes up, is hung up at once, and no will", async () => {
    const id = `${tag}-d`;
    const board = await boot(run, broker, id, 10, "", true);
    await board.waitFor(/^I closed while dialling$/);
    await board.waitFor(/^~mqtt close 1$/);
    await board.waitUntilUs(board.nowUs + 2_000_000);
    expect(board.lines.filter((l) => /^I (up|down)/.test(l))).toEqual([]);
    expect(board.bridge.dials).toHaveLength(1);
    expect(await retained(broker, `p/${id}/status`)).toBeUndefined();
  });
});

describe("MqttLink on NodeMCU when the broker goes away", () => {
  for (const run of [RUNS[0], RUNS[3]]) {
    it(`${run.name}: down, dials again with growing waits, up and subscribed again once the broker is back`, async () => {
      const broker = await new Mosquitto().start();
      try {
        const id = `${run.mcu}-k`;
        const board = await boot(run, broker, id);
        await board.waitFor(/^I up /);
        await subscribed(board, 0);
        await broker.kill();
        await board.waitFor((l) => board.lines.filter((x) => x.startsWith("I down ")).length >= 3 && l.startsWith("I down "), 20000);
        const downs = board.lines.filter((l) => l.startsWith("I down ")).map((l) => Number(/t=(\d+)/.exec(l)![1]));
        const gaps = [downs[1] - downs[0], downs[2] - downs[1]];
        // Each gap is the wait plus the failed dial's time (the broker refuses at once), less up to
        // one 10 ms tick on the ESP32 (a timer counts from the start of its tick) and the logged times' rounding.
        const slackMs = 11;
        expect(gaps[0]).toBeGreaterThanOrEqual(1000 - slackMs);
        expect(gaps[1]).toBeGreaterThanOrEqual(2000 - slackMs);
        expect(gaps[1]).toBeGreaterThan(gaps[0] * 1.5);
        expect(board.lines.filter((l) => l.startsWith("I down ")).every((l) => l.endsWith("isUp=0"))).toBe(true);

        await broker.start();
        const back = board.lines.length;
        await board.waitFor(/^I up /, 20000, back);
        await subscribed(board, back);
        const watch = await observer(broker, `p/${id}/out`);
        await watch.client.publishAsync(`p/${id}/cmd`, "pub 1", { qos: 1 });
        const acked = await board.waitFor(/^I acked \d+$/, 10000, back);
        const token = board.lines.slice(back).find((l) => l.startsWith("I token "));
        expect(acked).toBe(`I acked ${token!.split(" ")[2]}`);
        await until(() => watch.got[0], "the message published after the broker came back");
      } finally {
        await broker.stop();
      }
    });
  }
});

describe("MqttLink on NodeMCU with credentials", () => {
  for (const run of [RUNS[0], RUNS[3]]) {
    it(`${run.name}: refused with a wrong password, one down a dial (the failure is reported twice), and in with the right one`, async () => {
      const broker = new Mosquitto({ config: ["allow_anonymous false", "password_file $DIR/passwd"] });
      execFileSync("mosquitto_passwd", ["-b", "-c", join(broker.dir, "passwd"), "shelf", "s3cret"]);
      // mosquitto started as root reads it as its own user.
      chmodSync(join(broker.dir, "passwd"), 0o644);
      await broker.start();
      try {
        const wrong = await boot(run, broker, `${run.mcu}-p`, 10, " shelf wrong");
        await wrong.waitFor((l) => wrong.lines.filter((x) => x.startsWith("I down ")).length >= 3 && l.startsWith("I down "), 20000);
        const fails = wrong.lines.filter((l) => /^> N \d+ \d+ fail/.test(l));
        expect(fails).toHaveLength(3);
        expect(fails.every((l) => l.endsWith(" fail 5"))).toBe(true);
        expect(wrong.lines.filter((l) => l.startsWith("I down "))).toHaveLength(3);
        expect(wrong.lines.some((l) => l.startsWith("I up "))).toBe(false);
        expect(wrong.bridge.dials[0]).toMatchObject({ user: "shelf", password: Buffer.from("wrong") });

        const right = await boot(run, broker, `${run.mcu}-q`, 10, " shelf s3cret");
        await right.waitFor(/^I up /);
        expect(right.lines.filter((l) => l.startsWith("I down "))).toEqual([]);
      } finally {
        // The boards go before their broker: a bridge still dialling a broker that is gone can wait long to end.
        await Promise.all(boards.splice(0).map((b) => b.stop()));
        await broker.stop();
      }
    });
  }
});

describe("the NodeMCU MqttLinks", () => {
  it("are in the firmware dialect, each against its own chip's declarations", async () => {
    expect(await checkDialect([resolve("test/ports/probe-mqtt-nodemcu.ts")], "nodemcu")).toEqual([]);
    expect(await checkDialect([resolve("test/ports/probe-mqtt-nodemcu-esp32.ts")], "nodemcu-esp32")).toEqual([]);
  });
});

describe("the live board's host protocol", () => {
  it("refuses a malformed network event loudly: the board stops and says why", async () => {
    const broker = await new Mosquitto().start();
    try {
      const board = await boot(RUNS[0], broker, "bad");
      await board.waitFor(/^I up /);
      board.send(`N ${board.nowUs + 1000} 1 msg 1 zz 00`);
      const exit = await board.exited;
      expect(exit.code).toBe(3);
      expect(exit.panic).toMatch(/^vboard: bad network event for connection 1 \(topic and payload must be hex\)/);
    } finally {
      await broker.stop();
    }
  });

  it("refuses an event for a connection the board never opened, and one that goes back in time", async () => {
    const broker = await new Mosquitto().start();
    try {
      const a = await boot(RUNS[3], broker, "bad-a");
      await a.waitFor(/^I up /);
      a.send(`N ${a.nowUs + 1000} 7 up`);
      expect((await a.exited).panic).toMatch(/no such connection/);
      const b = await boot(RUNS[0], broker, "bad-b");
      await b.waitFor(/^I up /);
      await b.waitUntilUs(100_000);
      b.send("N 5 1 down");
      expect((await b.exited).panic).toMatch(/goes back in time/);
    } finally {
      await broker.stop();
    }
  });

  it("rejects a malformed ~mqtt line from the board, naming it", () => {
    expect(() => parseMqttLine("~mqtt pub 1 2 1 0 7a")).toThrow(/7 fields, not 8/);
    expect(() => parseMqttLine("~mqtt pub 1 2 3 0 7a 00")).toThrow(/QoS 3/);
    expect(() => parseMqttLine("~mqtt sub 1 2 1 7g")).toThrow(/7g is not hex/);
    expect(() => parseMqttLine("~mqtt open 1")).toThrow(/unknown operation open/);
    expect(parseMqttLine("~mqtt pub 1 2 1 0 7a -")).toEqual({ op: "pub", conn: 1, seq: 2, qos: 1, retain: false, topic: "z", payload: Buffer.alloc(0) });
  });
});
