/*
 * Flashing an Espruino board that goes wrong (tools/flash/espruino-flash.ts on the virtual board
 * of sim/flash/espruino-repl-server.ts, with its injected faults). Every failure names its step
 * and file, and leaves the board as it was, or marked unflashed so that it boots no half-written
 * or crashing app:
 *
 * - the connection cut mid-bundle, or mid-record: upload of that file; the old app and record stay
 *   and boot after a power cycle; the next flash succeeds;
 * - a bit flipped on its way to flash: verify of that file; the old app runs again at once;
 * - the power cut mid-install: the guard erases the half-written app at the next boot and says so;
 * - a new app that throws as it boots: marked unflashed, and the guard keeps it from running;
 * - nothing listening, or another chip: connect, with nothing touched.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { EspruinoReplServer } from "../sim/flash/espruino-repl-server.ts";
import { cachedBuild } from "../tools/build/build.ts";
import { flashEspruino, type EspruinoFlashOptions } from "../tools/flash/espruino-flash.ts";
import { FlashError } from "../tools/flash/flash-types.ts";

const OLD_RECORD = Buffer.from("old device record \x00\x01\xfe", "latin1");
const NEW_RECORD = Buffer.from("new device record \x02\x03\xfd", "latin1");
const GUARD_SAYS = "E aisle: unflashed: a flash did not finish; flash this board again";
let serialBundle: string;
let mqttBundle: string;
let server: EspruinoReplServer | undefined;
let lines: string[] = [];

beforeAll(async () => {
  serialBundle = (await cachedBuild("espruino-esp32", "shelf")).files["aisle-shelf.js"];
  mqttBundle = (await cachedBuild("espruino-esp32", "shelf", { link: "mqtt" })).files["aisle-shelf.js"];
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const flash = (o: Partial<EspruinoFlashOptions>) => flashEspruino({ board: "espruino-esp32", app: "shelf", port: server!.url, bundle: mqttBundle, bootWatchMs: 400, ...o });

/** A board flashed with the serial shelf and OLD_RECORD, running; returns its Storage as it stands. */
async function flashedBoard(console: "Telnet" | "Serial1" = "Telnet"): Promise<Map<string, string>> {
  lines = [];
  server = await EspruinoReplServer.start({ board: "espruino-esp32", console, onLine: (l) => lines.push(l) });
  await flash({ bundle: serialBundle, deviceRecord: OLD_RECORD, reboot: false });
  return new Map(server.storage);
}

async function failure(p: Promise<unknown>): Promise<FlashError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(FlashError);
  return e as FlashError;
}

/** The files a running app depends on, unchanged from before. */
function expectUnchanged(before: Map<string, string>): void {
  for (const name of [".bootcde", "aisle.v", "device"]) expect(server!.storage.get(name), name).toBe(before.get(name));
}

describe("a connection cut mid-upload", () => {
  it("in the bundle: upload of aisle-shelf.js fails, the board keeps its app and record, boots them, and flashes next time", async () => {
    const before = await flashedBoard();
    server!.faults.dropAfterText('"aisle.new",atob(', 10);
    const e = await failure(flash({ deviceRecord: NEW_RECORD }));
    expect(e).toMatchObject({ step: "upload", file: "aisle-shelf.js", boardState: "unchanged" });
    expect(e.message).toMatch(/^upload of aisle-shelf\.js failed: the connection closed after \d+ of \d+ bytes \(Storage "aisle\.new"\)/);
    expectUnchanged(before);
    lines = [];
    await server!.reset();
    expect(lines).toContain("I shelf up: 4 cells, 4 lanes");
    const ok = await flash({ deviceRecord: NEW_RECORD });
    expect(ok.appVersion).not.toBe(before.get("aisle.v"));
    expect(server!.storage.get("device")).toBe(NEW_RECORD.toString("latin1"));
    expect(server!.storage.has("aisle.new")).toBe(false);
  });

  it("in the device record: upload of device fails, and the board keeps its app and record", async () => {
    const before = await flashedBoard();
    server!.faults.dropAfterText('"device.new",atob(');
    const e = await failure(flash({ deviceRecord: NEW_RECORD }));
    expect(e).toMatchObject({ step: "upload", file: "device", boardState: "unchanged" });
    expect(e.message).toContain('(Storage "device.new")');
    expectUnchanged(before);
  });
});

describe("a checksum that does not match", () => {
  for (const [storage, file] of [["aisle.new", "aisle-shelf.js"], ["device.new", "device"]]) {
    it(`in ${storage}: verify of ${file} fails, the temporary files go, and the old app runs again`, async () => {
      const before = await flashedBoard();
      server!.faults.corruptFile(storage);
      lines = [];
      const e = await failure(flash({ deviceRecord: NEW_RECORD }));
      expect(e).toMatchObject({ step: "verify", file, boardState: "unchanged" });
      expect(e.message).toMatch(new RegExp(`^verify of ${file.replace(".", "\\.")} failed: the board read back \\d+ bytes, CRC32 0x[0-9a-f]{8}, where \\d+ bytes with CRC32 0x[0-9a-f]{8} were sent \\(Storage "${storage.replace(".", "\\.")}"\\)`));
      expectUnchanged(before);
      await new Promise((r) => setTimeout(r, 300));
      expect(server!.storage.has("aisle.new") || server!.storage.has("device.new")).toBe(false);
      expect(lines).toContain("I shelf up: 4 cells, 4 lanes");
    });
  }
});

describe("a switch-over that does not finish", () => {
  it("the power cut mid-install: the board is marked unflashed, and boots no half-written app", async () => {
    await flashedBoard("Serial1");
    server!.faults.powerCutOnWrite(".bootcde", 3);
    lines = [];
    const e = await failure(flash({ deviceRecord: NEW_RECORD }));
    expect(e).toMatchObject({ step: "reset", file: "aisle-shelf.js", boardState: "unflashed" });
    expect(e.message).toContain("the switch-over had not finished");
    expect(lines).toContain(GUARD_SAYS);
    expect(lines).not.toContain("I shelf up: 4 cells, 4 lanes");
    expect(server!.storage.has(".bootcde")).toBe(false);
    expect(server!.storage.has("aisle.unf")).toBe(true);
    lines = [];
    await server!.reset();
    expect(lines).toEqual([GUARD_SAYS]);
    lines = [];
    await flash({ bundle: serialBundle });
    expect(server!.storage.has("aisle.unf")).toBe(false);
    expect(lines).toContain("I shelf up: 4 cells, 4 lanes");
  });

  it("a new app that throws as it boots: reset fails, and the board is marked unflashed rather than run it", async () => {
    await flashedBoard();
    const e = await failure(flash({ bundle: 'print("about to fail");\nthrow new Error("boom");\n' }));
    expect(e).toMatchObject({ step: "reset", file: "aisle-shelf.js", boardState: "unflashed" });
    expect(e.message).toContain("the app failed as it booted: Uncaught Error: boom");
    await new Promise((r) => setTimeout(r, 300));
    expect(server!.storage.has(".bootcde")).toBe(false);
    lines = [];
    await server!.reset();
    expect(lines).toEqual([GUARD_SAYS]);
  });
});

describe("connecting", () => {
  it("fails with nothing listening, and on another chip, touching nothing", async () => {
    lines = [];
    server = await EspruinoReplServer.start({ board: "espruino-esp32" });
    const url = server.url;
    await server.close();
    server = undefined;
    const refused = await failure(flashEspruino({ board: "espruino-esp32", app: "shelf", port: url, bundle: serialBundle }));
    expect(refused).toMatchObject({ step: "connect", file: undefined, boardState: "unchanged" });
    expect(refused.message).toContain(`could not connect to ${url}`);
    server = await EspruinoReplServer.start({ board: "espruino-esp32" });
    const other = await failure(flashEspruino({ board: "espruino-esp8266", app: "shelf", port: server.url, bundle: serialBundle }));
    expect(other.message).toBe(`connect failed: ${server.url} is an Espruino ESP32, not the ESP8266 of espruino-esp8266 (the board is unchanged: its app and device record are as they were)`);
    expect(server.storage.size).toBe(0);
    await server.close();
    server = await EspruinoReplServer.start({ board: "espruino-esp32", envBoard: "PICO_R1_3" });
    const pico = await failure(flashEspruino({ board: "espruino-esp32", app: "shelf", port: server.url, bundle: serialBundle }));
    expect(pico.message).toContain(`${server.url} is an Espruino PICO_R1_3, not the ESP32 of espruino-esp32`);
    expect(server.storage.size).toBe(0);
  });

  it("takes Espruino's own Linux build for any Espruino board: the real interpreter off hardware", async () => {
    lines = [];
    server = await EspruinoReplServer.start({ board: "espruino-esp32", envBoard: "LINUX", onLine: (l) => lines.push(l) });
    const r = await flashEspruino({ board: "espruino-esp8266", app: "shelf", port: server.url, bundle: serialBundle, bootWatchMs: 400 });
    expect(r.board).toBe("LINUX");
    expect(lines.some((l) => l.startsWith("I shelf up"))).toBe(true);
  });
});
