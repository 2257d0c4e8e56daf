/*
 * aisle flash, as a hardware engineer runs it: the CLI in its own process, flashing virtual boards
 * that wait on a pty (NodeMCU) and on a loopback TCP console (Espruino), each board's config from a
 * JSON file; a batch from a CSV with a summary; bad arguments, configs and CSVs refused with what
 * and where, before any board is touched. The flashed apps come online on a real mosquitto.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EspruinoReplServer } from "../sim/flash/espruino-repl-server.ts";
import { NodemcuReplPty } from "../sim/flash/nodemcu-repl-pty.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

const PASSWORD = "pw-Cli!s3cret";
const WIFI = { ssid: "store-iot", password: "wifi-Pa55!word" };
const dir = mkdtempSync(join(tmpdir(), "aisle-flash-cli-"));
let broker: Mosquitto;

beforeAll(async () => {
  broker = await new Mosquitto().start();
});

afterAll(async () => {
  await broker.stop();
});

function aisle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["tools/aisle.mjs", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

function configFile(name: string, body: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

async function online(device: string): Promise<Record<string, unknown>> {
  const watch = await MqttWatch.open(broker.url, `aisle/v1/${device}/status`);
  try {
    await watch.until(() => watch.seen.some((m) => m.body.state === "online"), `${device} online`, 20000);
    return watch.seen.find((m) => m.body.state === "online")!.body;
  } finally {
    await watch.close();
  }
}

describe("aisle flash refuses what it cannot do, and touches no board", () => {
  const bad: [string, string[], RegExp][] = [
    ["no port", ["--board", "nodemcu-esp8266", "--app", "shelf"], /give --port PORT for one board, or --many CSV/],
    ["no config for MQTT", ["--board", "nodemcu-esp8266", "--app", "shelf", "--port", "/dev/null", "--link", "mqtt"], /the MQTT build needs --device-config FILE/],
    ["an unknown app", ["--board", "nodemcu-esp8266", "--app", "till", "--port", "/dev/null"], /--app|till/],
    ["an unknown board", ["--board", "nope", "--app", "shelf", "--port", "/dev/null"], /boards\/nope.json: no such board/],
    ["bad retries", ["--board", "nodemcu-esp8266", "--app", "shelf", "--port", "/dev/null", "--retries", "-1"], /--retries must be a whole number from 0 to 20/],
  ];
  for (const [what, args, message] of bad) {
    it(what, async () => {
      const r = await aisle(["flash", ...args]);
      // A mistake in the call is exit 2; a board file that is not there, like any bad board file, 1.
      expect(r.code, r.stderr).toBe(what === "an unknown board" ? 1 : 2);
      expect(r.stderr).toMatch(message);
    });
  }

  it("a config file with mistakes: every one, with its JSON path", async () => {
    const path = configFile("bad.json", { broker: "http://x", keepalive_s: 2, colour: "blue", wifi: { password: "p" }, key_file: "k" });
    const r = await aisle(["flash", "--board", "nodemcu-esp8266", "--app", "shelf", "--port", "/dev/null", "--device-config", path]);
    expect(r.code).toBe(2);
    for (const m of ["/broker: must match pattern", "/keepalive_s: must be >= 5", '(top level): unknown key "colour"', "/wifi: must have required property 'ssid'"]) expect(r.stderr).toContain(m);
  });

  it("a CSV with mistakes: the line and what is wrong", async () => {
    const config = configFile("ok.json", { broker: broker.url, keys_dir: "keys" });
    const cases: [string, RegExp][] = [
      ["serial,id\nx,y\n", /:1: the header must name the columns port and device_id/],
      ["port,device_id\n/dev/a,shelf-1\n/dev/b,shelf 2\n", /:3: device id "shelf 2" is not 1 to 16 letters/],
      ["port,device_id\n/dev/a,shelf-1\n/dev/a,shelf-2\n", /:3: port \/dev\/a is on line 2 too/],
      ["port,device_id\n", /no boards listed under the header/],
    ];
    for (const [text, message] of cases) {
      const csv = join(dir, "bad.csv");
      writeFileSync(csv, text);
      const r = await aisle(["flash", "--board", "nodemcu-esp8266", "--app", "shelf", "--many", csv, "--device-config", config]);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, "keys"))).toBe(false);
  });
});

describe("aisle flash --many on virtual NodeMCU boards", () => {
  const boards: NodemcuReplPty[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) boards.push(await NodemcuReplPty.start({ board: "nodemcu-esp8266", link: join(dir, `ttyV${i}`) }));
  }, 30000);

  afterAll(async () => {
    for (const b of boards) await b.stop();
  });

  it("flashes each board of the CSV with its own id and a new key of its own, and says which one failed and where", async () => {
    const config = configFile("fleet.json", { broker: broker.url, user: "fleet", password: PASSWORD, keys_dir: "fleet-keys", keepalive_s: 20, wifi: WIFI });
    const csv = join(dir, "batch.csv");
    writeFileSync(csv, `port,device_id\n${join(dir, "ttyV0")},aisle-s1\n${join(dir, "missing-tty")},aisle-s9\n${join(dir, "ttyV1")},aisle-s2\n`);
    const r = await aisle(["flash", "--board", "nodemcu-esp8266", "--app", "shelf", "--many", csv, "--device-config", config]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^aisle-s1 on ${join(dir, "ttyV0")}: flashed 3 files, \\d+ bytes, verified, booted, in [\\d.]+ s; key .*fleet-keys/aisle-s1.key \\(new\\)$`));
    expect(lines[1]).toMatch(/^aisle-s9 on .*missing-tty: FAILED: connect failed: .*; the board is unchanged/);
    expect(lines[2]).toMatch(/^aisle-s2 on .*ttyV1: flashed 3 files/);
    expect(lines[3]).toBe("2 of 3 boards flashed; 1 failed (above)");
    for (const id of ["aisle-s1", "aisle-s2"]) {
      expect(await online(id)).toMatchObject({ state: "online", boot: 1 });
      const keyFile = join(dir, "fleet-keys", `${id}.key`);
      expect(readFileSync(keyFile, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dir, "fleet-keys", "aisle-s1.key"), "utf8")).not.toBe(readFileSync(join(dir, "fleet-keys", "aisle-s2.key"), "utf8"));
    // The device's flash holds the record; the terminal never saw a secret.
    expect((await boards[0].files()).get("device")?.length).toBeGreaterThan(40);
    for (const secret of [PASSWORD, WIFI.password, readFileSync(join(dir, "fleet-keys", "aisle-s1.key"), "utf8").trim()]) expect(r.stdout + r.stderr).not.toContain(secret);
    // Each booted app joined the network its record names (the virtual board says which, never the password).
    for (const b of boards) {
      expect(b.board.lines).toContain(`~wifi join ${WIFI.ssid}`);
      expect(b.board.lines.join("\n")).not.toContain(WIFI.password);
    }
  }, 120000);

  it("flashed again with --json: the same key, the device back as its next boot", async () => {
    const config = configFile("fleet.json", { broker: broker.url, user: "fleet", password: PASSWORD, keys_dir: "fleet-keys" });
    const key = readFileSync(join(dir, "fleet-keys", "aisle-s1.key"), "utf8");
    const watch = await MqttWatch.open(broker.url, "aisle/v1/aisle-s1/status");
    try {
      const r = await aisle(["flash", "--board", "nodemcu-esp8266", "--app", "shelf", "--port", join(dir, "ttyV0"), "--device", "aisle-s1", "--device-config", config, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ board: "nodemcu-esp8266", app: "shelf", link: "mqtt", flashed: 1, failed: 0 });
      expect(out.results[0]).toMatchObject({ device: "aisle-s1", ok: true, key_made: false });
      expect(out.results[0].files.map((f: { name: string }) => f.name)).toEqual(["init.lua", "aisle-shelf.lua", "device"]);
      expect(readFileSync(join(dir, "fleet-keys", "aisle-s1.key"), "utf8")).toBe(key);
      await watch.until(() => watch.seen.some((m) => m.body.state === "online" && m.body.boot === 2), "aisle-s1 online as boot 2", 20000);
    } finally {
      await watch.close();
    }
  }, 60000);
});

describe("aisle flash on a virtual Espruino's TCP console", () => {
  it("flashes the gate on MQTT with a key file of its own; the gate comes online", async () => {
    const lines: string[] = [];
    const server = await EspruinoReplServer.start({ board: "espruino-esp32", onLine: (l) => lines.push(l) });
    try {
      writeFileSync(join(dir, "gate.key"), "ab".repeat(32) + "\n");
      const config = configFile("gate.json", { device_id: "aisle-g1", broker: broker.url, key_file: "gate.key", wifi: WIFI });
      const r = await aisle(["flash", "--board", "espruino-esp32", "--app", "gate", "--port", server.url, "--device-config", config]);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toMatch(/^aisle-g1 on tcp:\/\/127\.0\.0\.1:\d+: flashed \d files, \d+ bytes, verified, booted, in [\d.]+ s; key .*gate\.key\n$/);
      expect(await online("aisle-g1")).toMatchObject({ state: "online" });
      expect(lines).toContain(`~wifi join ${WIFI.ssid}`);
      expect(lines.join("\n")).not.toContain(WIFI.password);
      expect(r.stdout + r.stderr).not.toContain("ab".repeat(32));
    } finally {
      await server.close();
    }
  }, 120000);
});

describe("aisle vboard", () => {
  it("serves a virtual Espruino to flash until Ctrl-C; what aisle flash writes runs there", async () => {
    const child = spawn(process.execPath, ["tools/aisle.mjs", "vboard", "--board", "espruino-esp8266"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const deadline = Date.now() + 20000;
      while (!/waits on (tcp:\/\/127\.0\.0\.1:\d+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const url = /waits on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
      expect(out).toContain(`flash it:  npx aisle flash --board espruino-esp8266 --app shelf --port ${url}`);
      const r = await aisle(["flash", "--board", "espruino-esp8266", "--app", "shelf", "--port", url]);
      expect(r.code, r.stderr).toBe(0);
      expect(out).toContain("[espruino-esp8266] I shelf up: 4 cells");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  }, 60000);
});
