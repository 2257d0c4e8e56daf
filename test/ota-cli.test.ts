/*
 * aisle ota as a technician runs it (its own process), against a live shelf on a real mosquitto
 * (espruino-esp32, at 20x): it builds the app, signs it with the key it derives from the fleet
 * key, sends it and exits 0 once the device confirms; a bundle that throws at boot comes back as
 * a rollback and exit 1; one signed with another fleet's key is refused. Bad arguments and key
 * files are refused before anything is built or sent.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveOtaKey } from "../tools/ota/ota-key.ts";
import { calibrationTrace } from "./support/calibration-trace.ts";
import { Mosquitto } from "./support/mosquitto.ts";
import { onlineShelf, type OnlineShelf } from "./support/online-shelf.ts";

const AISLE = join(import.meta.dirname, "../tools/aisle.mjs");
const DEVICE = "ota-cli";
const KEY = Buffer.alloc(32, 0x3c);
const FLEET = Buffer.alloc(32, 0x7d);
const dir = mkdtempSync(join(tmpdir(), "aisle-ota-cli-"));
const keyFile = join(dir, "dev.key");
const fleetFile = join(dir, "fleet.key");
const otherFleetFile = join(dir, "other-fleet.key");
const badKeyFile = join(dir, "bad.key");
const crashFile = join(dir, "crash.js");
writeFileSync(keyFile, KEY.toString("hex") + "\n");
writeFileSync(fleetFile, FLEET.toString("hex") + "\n");
writeFileSync(otherFleetFile, "11".repeat(32) + "\n");
writeFileSync(badKeyFile, "not a key\n");
writeFileSync(crashFile, 'throw new Error("ota test: crash at boot");\n');
writeFileSync(join(dir, "shelf.trace.csv"), calibrationTrace(80, 1, 600_000));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function aisle(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AISLE, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, AISLE_DEVICE_KEY: "" } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

let broker: Mosquitto;
let shelf: OnlineShelf;
const base = () => ["ota", "--board", "espruino-esp32", "--app", "shelf", "--device", DEVICE, "--broker", broker.url, "--key-file", keyFile, "--technician", "olga"];

beforeAll(async () => {
  broker = await new Mosquitto({ config: ["set_tcp_nodelay true"] }).start();
  shelf = await onlineShelf(broker, { board: "espruino-esp32", trace: join(dir, "shelf.trace.csv"), device: DEVICE, key: KEY, otaKey: deriveOtaKey(FLEET, DEVICE), speed: 20 });
}, 60_000);
afterAll(async () => {
  await shelf?.close();
  await broker?.stop();
});

describe("aisle ota", () => {
  it("builds, signs and sends the app, and exits 0 once the device runs it and has confirmed it", async () => {
    const r = await aisle([...base(), "--fleet-key-file", fleetFile, "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const outcome = JSON.parse(r.out);
    expect(outcome).toMatchObject({ device: DEVICE, board: "espruino-esp32", app: "shelf", result: "confirmed", boot: 2, version: expect.stringMatching(/^shelf-[0-9a-f]{12}$/) });
    expect(outcome.bytes).toBeGreaterThan(20_000);
    expect(shelf.watch.on("/audit")).toContainEqual(expect.objectContaining({ tech: "olga", cmd: "ota_commit", what: `bundle ${outcome.version}` }));
  }, 120_000);

  it("says so, and exits 1, when the device's boot loader rolls a bundle back", async () => {
    const r = await aisle([...base(), "--fleet-key-file", fleetFile, "--bundle", crashFile, "--version", "crash-1"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${DEVICE} ROLLED BACK crash-1: its boot loader restored the previous bundle (it did not report healthy in time)\n`);
    expect(r.err).toMatch(/committed: the device checked the bundle and is switching to it/);
  }, 120_000);

  it("exits 1 when the device refuses the bundle (signed with another fleet's key)", async () => {
    const r = await aisle([...base(), "--fleet-key-file", otherFleetFile, "--bundle", crashFile, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ result: "refused", detail: "ota_commit refused: bad_signature" });
  }, 120_000);

  it("refuses bad arguments and key files before building or sending anything", async () => {
    const cases: [string[], RegExp][] = [
      [["ota", "--app", "shelf", "--device", DEVICE, "--fleet-key-file", fleetFile], /--board ID is required/],
      [["ota", "--board", "espruino-esp32", "--app", "shelf", "--device", "Bad_Id", "--fleet-key-file", fleetFile], /--device ID is required: 1 to 16 of a-z, 0-9 and -, not "Bad_Id"/],
      [[...base(), "--fleet-key-file", join(dir, "missing.key")], /--fleet-key-file .*missing\.key: no such file/],
      [[...base(), "--fleet-key-file", badKeyFile], /--fleet-key-file .*bad\.key: a key is 64 hex digits/],
      [[...base()], /--fleet-key-file FILE is required/],
      [[...base(), "--fleet-key-file", fleetFile, "--wait-s", "soon"], /--wait-s needs a number of seconds above 0, not "soon"/],
      [[...base(), "--fleet-key-file", fleetFile, "--version", "has space"], /--version must be 1 to 32 printable characters without spaces/],
      [[...base(), "--fleet-key-file", fleetFile, "--bundle", join(dir, "nope.js")], /--bundle .*nope\.js: no such file/],
      [["ota", "--board", "espruino-esp32", "--app", "shelf", "--device", DEVICE, "--broker", "http://x", "--fleet-key-file", fleetFile], /--broker must be mqtt:\/\/host:port/],
      [["ota", "--board", "no-such-board", "--app", "shelf", "--device", DEVICE, "--broker", broker.url, "--fleet-key-file", fleetFile, "--key-file", keyFile], /no-such-board/],
    ];
    for (const [args, message] of cases) {
      const r = await aisle(args);
      expect(r.err, args.join(" ")).toMatch(message);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.out).toBe("");
    }
    const noApp = await aisle(["ota", "--board", "espruino-esp32", "--app", "lamp"]);
    expect(noApp.code).toBe(2);
    expect(noApp.err).toMatch(/Allowed choices are shelf, gate/);
  }, 120_000);
});
