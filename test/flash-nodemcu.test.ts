/*
 * Flashing the shelf app on MQTT (aisle build --link mqtt) to virtual NodeMCU boards on a pty, as
 * `aisle flash` will: flashNodemcu types the build's files and the device record over the REPL of
 * a blank board (real lua5.1 for nodemcu-esp8266, lua5.3 for nodemcu-esp32), restarts it, and the
 * app boots from its flash, reads the record and says it is online on a real mosquitto. Flashed
 * again while it runs, the board takes the new files and record and keeps its Store (boot 2).
 * The record's bytes show nowhere: not on the board's UART, in progress, in the report, on stdout.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NodemcuReplPty } from "../sim/flash/nodemcu-repl-pty.ts";
import { deviceConfigRecord } from "../sim/live/live-shelf.ts";
import { cachedBuild } from "../tools/build/build.ts";
import { flashNodemcu, type FlashStep } from "../tools/flash/nodemcu-flash.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { MqttWatch } from "./support/mqtt-watch.ts";

const KEY = Buffer.from("f1a5h0k3y-0123456789abcdefghijkl", "latin1");
const PASSWORD = "pw-Zq8!secret";
let broker: Mosquitto;

beforeAll(async () => {
  broker = await new Mosquitto().start();
});

afterAll(async () => {
  await broker.stop();
});

/** The forms a record's secrets could take in text: as bytes, in hex, as the flasher escapes them. */
function secretForms(record: Buffer): string[] {
  const escaped = (b: Buffer) => [...b].map((c) => (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : "\\" + String(c).padStart(3, "0"))).join("");
  return [KEY.toString("latin1"), KEY.toString("hex"), escaped(KEY), PASSWORD, record.toString("latin1"), record.toString("hex"), escaped(record).slice(0, 60)];
}

async function retainedStatus(device: string): Promise<Record<string, unknown>> {
  const watch = await MqttWatch.open(broker.url, `aisle/v1/${device}/status`);
  try {
    await watch.until(() => watch.seen.length > 0, `${device}'s retained status`, 10000);
    expect(watch.seen[0].retain).toBe(true);
    return watch.seen[0].body;
  } finally {
    await watch.close();
  }
}

for (const board of ["nodemcu-esp8266", "nodemcu-esp32"]) {
  describe(`flashing the shelf on MQTT to a virtual ${board}`, () => {
    let repl: NodemcuReplPty;
    let files: { name: string; bytes: Buffer }[];
    const device = `fl-${board.slice(8, 13)}`;

    beforeAll(async () => {
      const built = await cachedBuild(board, "shelf", { link: "mqtt" });
      files = Object.entries(built.files).map(([name, text]) => ({ name, bytes: Buffer.from(text, "utf8") }));
      repl = await NodemcuReplPty.start({ board });
    });

    afterAll(async () => {
      await repl.stop();
    });

    it("uploads, verifies, renames and restarts; the app boots from flash and is online, retained", async () => {
      const record = Buffer.from(deviceConfigRecord({ deviceId: device, brokerUrl: broker.url, key: KEY, user: "flasher", password: PASSWORD }), "latin1");
      const steps: string[] = [];
      const progress: string[] = [];
      const printed: string[] = [];
      const spies = [vi.spyOn(process.stdout, "write"), vi.spyOn(process.stderr, "write"), vi.spyOn(console, "log"), vi.spyOn(console, "error")];
      for (const s of spies) s.mockImplementation(((...args: unknown[]) => (printed.push(String(args[0])), true)) as never);
      const online = await MqttWatch.open(broker.url, `aisle/v1/${device}/status`);
      let report;
      try {
        report = await flashNodemcu({
          board, port: repl.path, files, deviceRecord: record,
          onProgress: (step: FlashStep, file, done, total) => {
            progress.push(`${step} ${file} ${done} ${total}`);
            if (steps[steps.length - 1] !== `${step} ${file}`) steps.push(`${step} ${file}`);
          },
        });
      } finally {
        for (const s of spies) s.mockRestore();
      }
      const app = files[1].name;
      expect(steps).toEqual(["connect ", "upload init.lua", "verify init.lua", `upload ${app}`, `verify ${app}`, "upload device", "verify device",
        `rename ${app}`, "rename device", "rename init.lua", "restart init.lua"]);
      expect(progress).toContain(`upload ${app} ${files[1].bytes.length} ${files[1].bytes.length}`);
      expect(report.files.map((f) => [f.name, f.bytes, f.uploads, f.resent])).toEqual([["init.lua", files[0].bytes.length, 1, 0], [app, files[1].bytes.length, 1, 0], ["device", record.length, 1, 0]]);
      expect(report.boot).toContain(`I shelf up: 4 cells, 4 lanes, device ${device} boot 1`);

      await online.until(() => online.seen.some((s) => s.body.state === "online"), `${device} online`);
      await online.close();
      expect(await retainedStatus(device)).toEqual({ v: 1, state: "online", boot: 1 });
      expect(repl.boots).toBe(2);

      const flash = await repl.files();
      expect(flash.get("init.lua")).toEqual(files[0].bytes);
      expect(flash.get(app)).toEqual(files[1].bytes);
      expect(flash.get("device")).toEqual(record);
      expect([...flash.keys()].filter((n) => n.startsWith("tmp~") || n === "aisle.unflashed")).toEqual([]);

      const outputs = [repl.transcript(), progress.join("\n"), JSON.stringify(report), printed.join("")];
      for (const out of outputs) for (const secret of secretForms(record)) expect(out.includes(secret)).toBe(false);
    });

    it("flashed again while the app runs, takes the new record and keeps the Store: online as the new device, boot 2", async () => {
      const next = `${device}-b`;
      const record = Buffer.from(deviceConfigRecord({ deviceId: next, brokerUrl: broker.url, key: KEY }), "latin1");
      const online = await MqttWatch.open(broker.url, `aisle/v1/${next}/status`);
      const report = await flashNodemcu({ board, port: repl.path, files, deviceRecord: record });
      expect(report.boot).toContain(`I shelf up: 4 cells, 4 lanes, device ${next} boot 2`);
      await online.until(() => online.seen.some((s) => s.body.state === "online"), `${next} online`);
      await online.close();
      expect(await retainedStatus(next)).toEqual({ v: 1, state: "online", boot: 2 });
      expect((await repl.files()).get("device")).toEqual(record);
      for (const secret of secretForms(record)) expect(repl.transcript().includes(secret)).toBe(false);
    });
  });
}
