/*
 * MQTT benchmarks (issue #5), on a real mosquitto on loopback, each beside a baseline measured in
 * the same run:
 *  - a signed command's round trip to a live virtual shelf (aisle calibrate's client → broker →
 *    device → broker → client), against a bare request/reply between two host clients;
 *  - telemetry: N virtual shelves replaying a trace at full speed, events reaching a back office
 *    a wall second, against N host clients publishing as many messages of the same size one
 *    PUBACK at a time (the outbox's discipline), and beside the serial build's replay (no MQTT).
 *   node --import tsx bench/mqtt.ts [--devices 1,4] [--commands 200]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { shelfDemo } from "../sim/gen/shelf-demo.ts";
import { startLiveShelf } from "../sim/live/live-shelf.ts";
import { replayTrace } from "../sim/replay.ts";
import { calibrationTrace } from "../test/support/calibration-trace.ts";
import { Mosquitto } from "../test/support/mosquitto.ts";
import { MqttWatch } from "../test/support/mqtt-watch.ts";
import { DeviceClient } from "../tools/mqtt/device-client.ts";
import { noDelay } from "../tools/mqtt/no-delay.ts";

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const COMMANDS = Number(arg("--commands", "200"));
const DEVICES = arg("--devices", "1,4").split(",").map(Number);
const KEY = Buffer.alloc(32, 0x5a);

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Request/reply between two plain host clients: what the broker and the loopback cost alone. */
async function bareRoundTripMs(url: string, n: number): Promise<number[]> {
  const a = noDelay(mqtt.connect(url, { protocolVersion: 4 }));
  const b = noDelay(mqtt.connect(url, { protocolVersion: 4 }));
  await Promise.all([a, b].map((c) => new Promise((r) => c.once("connect", r))));
  await b.subscribeAsync("bench/req", { qos: 1 });
  b.on("message", (_t, p) => void b.publish("bench/rep", p, { qos: 1 }));
  await a.subscribeAsync("bench/rep", { qos: 1 });
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const got = new Promise((r) => a.once("message", r));
    await a.publishAsync("bench/req", Buffer.alloc(120, i), { qos: 1 });
    await got;
    times.push(performance.now() - t0);
  }
  await Promise.all([a.endAsync(), b.endAsync()]);
  return times;
}

async function commandRoundTripMs(url: string, board: string, dir: string, n: number): Promise<number[]> {
  const trace = join(dir, "quiet.trace.csv");
  writeFileSync(trace, calibrationTrace(80, 20));
  const device = board.replace("espruino", "esp").replace("nodemcu", "nmcu");
  const watch = await MqttWatch.open(url, `aisle/v1/${device}/status`);
  const live = await startLiveShelf({ board, trace, brokerUrl: url, deviceId: device, key: KEY, speed: 1 });
  await watch.until(() => watch.seen.some((s) => s.body.state === "online"), "online");
  const tech = await DeviceClient.connect(url, device, KEY, "bench");
  await tech.command("show");
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await tech.command(i % 2 ? "show" : "tare", { ...(i % 2 ? {} : { cell: 1 }) });
    if (r.boot === undefined) throw new Error(`no reply: ${JSON.stringify(r)}`);
    times.push(performance.now() - t0);
  }
  await tech.close();
  await watch.close();
  await live.stop();
  return times;
}

/** N host publishers, each sending `count` messages at QoS 1 one PUBACK at a time: the broker's part alone. */
async function barePublishRate(url: string, n: number, count: number): Promise<number> {
  const office = await MqttWatch.open(url, "bench/tele/#");
  const clients = await Promise.all(Array.from({ length: n }, async () => {
    const c = noDelay(mqtt.connect(url, { protocolVersion: 4 }));
    await new Promise((r) => c.once("connect", r));
    return c;
  }));
  const t0 = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    for (let k = 0; k < count; k++) await c.publishAsync(`bench/tele/${i}`, Buffer.alloc(130, k), { qos: 1 });
  }));
  await office.until(() => office.seen.length >= n * count, "every bare message", 60000);
  const perS = (n * count) / ((performance.now() - t0) / 1000);
  await Promise.all(clients.map((c) => c.endAsync()));
  await office.close();
  return perS;
}

/** N shelves replaying the same trace at full speed on one broker: events delivered a wall second. */
async function telemetryRate(url: string, trace: string, n: number, expected: number): Promise<{ perS: number; wallMs: number }> {
  const office = await MqttWatch.open(url, "aisle/v1/+/event");
  const t0 = performance.now();
  const lives = await Promise.all(Array.from({ length: n }, (_, i) => startLiveShelf({ board: "espruino-esp32", trace, brokerUrl: url, deviceId: `tele-${i}`, key: KEY, speed: "max", keepaliveS: 600 })));
  await office.until(() => office.seen.length >= expected * n, `${expected * n} events`, 600000);
  const wallMs = performance.now() - t0;
  await Promise.all(lives.map((l) => l.stop()));
  await office.close();
  return { perS: (expected * n) / (wallMs / 1000), wallMs };
}

export async function mqttBench(write: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "aisle-bench-mqtt-"));
  // Without TCP_NODELAY, Nagle and delayed ACKs put ~40 ms into every small reply.
  const broker = await new Mosquitto({ config: ["set_tcp_nodelay true"] }).start();
  try {
    const bare = await bareRoundTripMs(broker.url, COMMANDS);
    write(`MQTT on mosquitto (loopback): a signed command's round trip, ${COMMANDS} commands (tare and show in turn)`);
    write(`${"".padEnd(22)} ${"median ms".padStart(10)} ${"p95 ms".padStart(8)} ${"vs bare".padStart(8)}`);
    const row = (name: string, xs: number[]) =>
      write(`${name.padEnd(22)} ${quantile(xs, 0.5).toFixed(2).padStart(10)} ${quantile(xs, 0.95).toFixed(2).padStart(8)} ${(quantile(xs, 0.5) / quantile(bare, 0.5)).toFixed(1).padStart(7)}x`);
    row("bare request/reply", bare);
    for (const board of ["espruino-esp32", "nodemcu-esp8266"]) row(board, await commandRoundTripMs(broker.url, board, dir, COMMANDS));

    const trace = join(dir, "tele.trace.csv");
    writeFileSync(trace, shelfDemo(11, 80, 3600).trace);
    const t0 = performance.now();
    const [serial] = await replayTrace(trace, { runners: ["espruino"] }, () => "espruino-esp32");
    const serialPerS = serial.events.length / ((performance.now() - t0) / 1000);
    write(`telemetry: virtual espruino-esp32 shelves replaying a 60-minute trace (${serial.events.length} events each) at full speed on one broker`);
    write(`${"".padEnd(26)} ${"events/s".padStart(10)} ${"wall s".padStart(8)} ${"vs bare".padStart(8)}`);
    write(`${"serial build (no MQTT), 1".padEnd(26)} ${serialPerS.toFixed(0).padStart(10)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(8)}`);
    for (const n of DEVICES) {
      const bare = await barePublishRate(broker.url, n, serial.events.length);
      const r = await telemetryRate(broker.url, trace, n, serial.events.length);
      const dev = `${n} device${n > 1 ? "s" : ""}`;
      write(`${`bare publishers, ${dev}`.padEnd(26)} ${bare.toFixed(0).padStart(10)} ${"".padStart(8)} ${"1.00x".padStart(8)}`);
      write(`${`virtual shelves, ${dev}`.padEnd(26)} ${r.perS.toFixed(0).padStart(10)} ${(r.wallMs / 1000).toFixed(1).padStart(8)} ${`${(r.perS / bare).toFixed(3)}x`.padStart(8)}`);
    }
  } finally {
    await broker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await mqttBench((l) => process.stdout.write(l + "\n"));
