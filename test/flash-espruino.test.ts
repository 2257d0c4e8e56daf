/*
 * The real EspruinoTools (npm `espruino` 0.1.67) flashing the virtual Espruino on its TCP console
 * (sim/flash/espruino-repl-server.ts):
 *
 * - its CLI, as a user would run it, uploads the serial shelf's bundle to RAM: the installer
 *   writes the app to Storage and load()s it, the CLI shows what the app prints, and the app boots
 *   again from Storage after a power cycle; and it saves code with its other save-on-send modes;
 * - flashEspruino (tools/flash/espruino-flash.ts, EspruinoTools in-process) flashes the shelf on
 *   MQTT with a device record pointing at a real mosquitto: the app boots from Storage and says it
 *   is online (retained), again after the flash's E.reboot() and after a second power cycle; the
 *   record's bytes show in no output;
 * - flashEspruino flashes the serial shelf over a serial-like console, which sees the app boot.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EspruinoReplServer } from "../sim/flash/espruino-repl-server.ts";
import { deviceConfigRecord } from "../sim/live/live-shelf.ts";
import { cachedBuild } from "../tools/build/build.ts";
import { flashEspruino } from "../tools/flash/espruino-flash.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

const KEY = Buffer.from("esp-f1a5h-key-0123456789abcdefgh", "latin1");
const PASSWORD = "pw-Espr!secret";
let serialBundle: string;
let mqttBundle: string;

const build = async () => {
  serialBundle = (await cachedBuild("espruino-esp32", "shelf")).files["aisle-shelf.js"];
  mqttBundle = (await cachedBuild("espruino-esp32", "shelf", { link: "mqtt" })).files["aisle-shelf.js"];
};

describe("the EspruinoTools CLI", () => {
  beforeAll(build);

  it("uploads the serial shelf over tcp://: the installer stores the app, which boots, and boots again after a power cycle", async () => {
    const lines: string[] = [];
    const server = await EspruinoReplServer.start({ board: "espruino-esp32", onLine: (l) => lines.push(l) });
    try {
      // The CLI reads its file from disk; offline, as the board's JSON would be fetched from the web.
      const file = join(mkdtempSync(join(tmpdir(), "aisle-cli-")), "aisle-shelf.js");
      writeFileSync(file, serialBundle);
      const run = spawn(process.execPath, ["node_modules/espruino/bin/espruino-cli.js", "--no-ble", "--config", "BOARD_JSON_URL=/nonexistent", "-p", server.url, file], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      run.stdout.on("data", (d) => (out += d));
      run.stderr.on("data", (d) => (out += d));
      const code = await new Promise((resolve) => run.on("exit", resolve));
      expect(code).toBe(0);
      expect(out).toContain("--] I shelf up: 4 cells");
      expect(out).toContain("Upload Complete");
      expect([...server.storage.keys()].sort()).toEqual([".bootcde", "aisle.v"]);
      expect(server.restarts).toEqual(["power", "reset", "load"]);
      lines.length = 0;
      await server.reset();
      expect(lines.filter((l) => l.startsWith("I shelf up"))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe("the EspruinoTools CLI's save-on-send modes", () => {
  it("writes the code to .bootcde (1), to .bootrst, run even after reset() (2), or to a Storage file it loads (3); each boots from Storage", async () => {
    const lines: string[] = [];
    const server = await EspruinoReplServer.start({ board: "espruino-esp32", onLine: (l) => lines.push(l) });
    const dir = mkdtempSync(join(tmpdir(), "aisle-cli-"));
    const send = async (mode: number, text: string) => {
      const file = join(dir, `app${mode}.js`);
      writeFileSync(file, text);
      const run = spawn(process.execPath, ["node_modules/espruino/bin/espruino-cli.js", "--no-ble", "--config", "BOARD_JSON_URL=/nonexistent", "--config", `SAVE_ON_SEND=${mode}`, "-p", server.url, file], { stdio: "ignore" });
      expect(await new Promise((resolve) => run.on("exit", resolve))).toBe(0);
    };
    try {
      // Bytes of every kind travel in the code EspruinoTools writes, escaped as it escapes them. The
      // app is longer than one block: EspruinoTools 0.1.67 never ends a shorter write over a fast
      // (Telnet) console, so its CLI would wait for ever, on a real board too.
      const app = (name: string) => [
        `var s = "\\x00\\x7f\\xff\\n\\"", pad = "${"-".repeat(600)}";`,
        "function up() {",
        `  print("${name} up " + s.length);`,
        "}",
        "up();",
      ].join("\n") + "\n";
      await send(1, app("one"));
      expect(lines.at(-1)).toBe("one up 5");
      expect(server.storage.get(".bootcde")).toContain('print("one up " + s.length)');
      await send(2, app("two"));
      expect(lines.at(-1)).toBe("two up 5");
      expect([...server.storage.keys()].sort()).toEqual([".bootcde", ".bootrst"]);
      await send(3, app("three"));
      expect(lines.at(-1)).toBe("three up 5");
      expect(server.storage.has("myapp")).toBe(true);
      lines.length = 0;
      await server.reset();
      // .bootrst runs in place of .bootcde, at power-on as after reset(); myapp runs only when loaded.
      expect(lines).toEqual(["two up 5"]);
    } finally {
      await server.close();
    }
  });
});

describe("flashEspruino", () => {
  let broker: Mosquitto;

  beforeAll(async () => {
    await build();
    broker = await new Mosquitto().start();
  });

  afterAll(async () => {
    await broker.stop();
  });

  it("flashes the shelf on MQTT with its device record: online after the switch-over, after E.reboot() and after a power cycle; the record shows nowhere", async () => {
    const device = "fl-espruino";
    const record = Buffer.from(deviceConfigRecord({ deviceId: device, brokerUrl: broker.url, key: KEY, user: "flasher", password: PASSWORD }), "latin1");
    const boardLines: string[] = [];
    const server = await EspruinoReplServer.start({ board: "espruino-esp32", onLine: (l) => boardLines.push(l) });
    const watch = await MqttWatch.open(broker.url, `aisle/v1/${device}/status`);
    const printed: string[] = [];
    const spies = [vi.spyOn(process.stdout, "write"), vi.spyOn(process.stderr, "write")];
    for (const s of spies) s.mockImplementation(((chunk: unknown) => (printed.push(String(chunk)), true)) as never);
    const logged: string[] = [];
    const progress: string[] = [];
    try {
      const result = await flashEspruino({
        board: "espruino-esp32", app: "shelf", port: server.url, bundle: mqttBundle, deviceRecord: record, bootWatchMs: 800,
        onProgress: (step, done, total) => progress.push(`${step} ${done}/${total}`), onLog: (l) => logged.push(l),
      });
      for (const s of spies) s.mockRestore();
      expect(result).toMatchObject({ board: "ESP32", version: "2v29", appVersion: expect.stringMatching(/^shelf-[0-9a-f]{12}$/) });
      expect(result.files.map((f) => [f.file, f.storage])).toEqual([[".boot1", ".boot1"], ["aisle-shelf.js", "aisle.new"], ["device", "device.new"]]);
      expect(result.files[2].bytes).toBe(record.length);
      expect(result.bootLines).toContain(`I shelf up: 4 cells, 4 lanes, device ${device} boot 1`);
      expect(progress[0]).toBe("connect 0/1");
      expect(progress).toEqual(expect.arrayContaining(["connect 1/1", "verify 3/3", "reset 1/2", "reset 2/2"]));
      const uploads = progress.filter((p) => p.startsWith("upload ")).map((p) => p.slice(7).split("/").map(Number));
      expect(uploads.length).toBeGreaterThan(5);
      expect(uploads.at(-1)![0]).toBe(uploads.at(-1)![1]);
      expect(server.storage.get("device")).toBe(record.toString("latin1"));
      expect(server.storage.get("aisle.v")).toBe(result.appVersion);
      const files = [...server.storage.keys()];
      expect(files).toEqual(expect.arrayContaining([".boot1", ".bootcde", "aisle.v", "boot", "device"]));
      for (const temporary of ["aisle.new", "device.new", "aisle.unf"]) expect(files).not.toContain(temporary);
      // Boot 1 after the switch-over, boot 2 after the flash's E.reboot().
      await watch.until(() => watch.seen.some((s) => s.body.state === "online" && s.body.boot === 2), "online as boot 2", 20000);
      await server.reset();
      await watch.until(() => watch.seen.some((s) => s.body.state === "online" && s.body.boot === 3), "online as boot 3 after a power cycle", 20000);
      expect(watch.seen.map((s) => `${String(s.body.state)}${String(s.body.boot ?? "")}`)).toEqual(["online1", "offline", "online2", "offline", "online3"]);
      const retained = await MqttWatch.open(broker.url, `aisle/v1/${device}/status`);
      await retained.until(() => retained.seen.length > 0, "the retained status");
      expect(retained.seen[0]).toMatchObject({ retain: true, body: { state: "online", boot: 3 } });
      await retained.close();
    } finally {
      for (const s of spies) s.mockRestore();
      await watch.close();
      await server.close();
    }
    const everything = [...logged, ...progress, ...printed, ...boardLines, server.transcript].join("\n");
    expect(logged.length).toBeGreaterThan(10);
    for (const secret of [KEY.toString("latin1"), KEY.toString("hex"), KEY.toString("base64"), PASSWORD, record.toString("latin1"), record.toString("base64"), record.toString("hex")]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("flashes the serial shelf over a serial console, which sees the app boot after the switch-over and after E.reboot()", async () => {
    const boardLines: string[] = [];
    const server = await EspruinoReplServer.start({ board: "espruino-esp32", console: "Serial1", onLine: (l) => boardLines.push(l) });
    try {
      const result = await flashEspruino({ board: "espruino-esp32", app: "shelf", port: server.url, bundle: serialBundle, bootWatchMs: 500 });
      expect(result.bootLines.filter((l) => l === "I shelf up: 4 cells, 4 lanes")).toHaveLength(2);
      expect(result.bootLines).not.toContain("E aisle: unflashed: a flash did not finish; flash this board again");
      expect(server.restarts).toEqual(["power", "reset", "load", "power"]);
      expect(server.storage.has("device")).toBe(false);
      expect(server.storage.has("aisle.new")).toBe(false);
    } finally {
      await server.close();
    }
  });
});
