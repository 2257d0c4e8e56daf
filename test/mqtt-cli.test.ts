/*
 * The MQTT commands as their users run them, on a real mosquitto: aisle sim keeps a virtual shelf
 * online; aisle calibrate's wizard, fed a technician's answers on stdin, calibrates it; the
 * script subcommands answer with --json; aisle record turns its raw stream into a trace that
 * reads back. Plus their bad-input errors.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTrace } from "../sim/trace/trace-reader.ts";
import type { ShelfTrace } from "../sim/trace/trace-types.ts";
import { calibrationTrace, TRUE_G_PER_COUNT, TRUE_OFFSET } from "./support/calibration-trace.ts";
import { Mosquitto } from "./support/mosquitto.ts";

const AISLE = join(import.meta.dirname, "../tools/aisle.mjs");
const dir = mkdtempSync(join(tmpdir(), "aisle-mqtt-cli-"));
const keyFile = join(dir, "dev.key");
writeFileSync(keyFile, "3c".repeat(32) + "\n");
/** Phases at 0 (empty), 6 s (500 g) and 12 s (200 g); 60 s in all, so that a recording made after the calibration has samples. */
const SCALE = 0.5;
writeFileSync(join(dir, "cal.trace.csv"), calibrationTrace(80, SCALE, 60000));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function aisle(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AISLE, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.stdin.end(stdin ?? "");
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

let broker: Mosquitto;
let sim: ChildProcess;
let simOut = "";
let simStartMs = 0;

async function simSays(text: string, timeoutMs = 30000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!simOut.includes(text)) {
    if (Date.now() > end) throw new Error(`aisle sim never said "${text}"; it said:\n${simOut}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the sim's trace (run at real time) reaches tMs. */
async function atTraceMs(tMs: number): Promise<void> {
  const wait = simStartMs + tMs - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

beforeAll(async () => {
  broker = await new Mosquitto().start();
  sim = spawn(process.execPath, [AISLE, "sim", "--broker", broker.url, "--device", "cli-1", "--key-file", keyFile, "--trace", join(dir, "cal.trace.csv"), "--speed", "1", "--hold"], { stdio: ["ignore", "pipe", "pipe"] });
  sim.stdout!.on("data", (d) => (simOut += d));
  sim.stderr!.on("data", (d) => (simOut += d));
  await simSays("device: I shelf up");
  simStartMs = Date.now();
  await simSays("status online");
});

afterAll(async () => {
  sim.kill("SIGINT");
  await new Promise((r) => sim.once("close", r));
  await broker.stop();
});

describe("aisle sim, calibrate and record on a real broker", () => {
  it("the wizard calibrates the live shelf from a technician's answers", async () => {
    const common = ["--device", "cli-1", "--broker", broker.url, "--key-file", keyFile, "--tech", "carol", "--cell", "0"];
    // The plate is empty until 6 s: the wizard's first Enter comes at once (the tare).
    const wizard = spawn(process.execPath, [AISLE, "calibrate", "wizard", ...common], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    wizard.stdout.on("data", (d) => (out += d));
    wizard.stderr.on("data", (d) => (out += d));
    const says = async (text: string) => {
      const end = Date.now() + 20000;
      while (!out.includes(text)) {
        if (Date.now() > end) throw new Error(`the wizard never said "${text}":\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await says("1/4");
    await atTraceMs(3500);
    wizard.stdin.write("\n");
    await says("zero taken");
    wizard.stdin.write("500\n");
    await says("Place it");
    await atTraceMs(10000);
    wizard.stdin.write("\n");
    await says("span taken");
    wizard.stdin.write("200\n");
    await says("Replace");
    await atTraceMs(16000);
    wizard.stdin.write("\n");
    await says("4/4");
    wizard.stdin.end("y\n");
    const code = await new Promise((r) => wizard.once("close", r));
    expect(out).toContain("committed");
    expect(code).toBe(0);
    await simSays("audit  calibration changed by carol");

    const shown = await aisle(["calibrate", "show", "--device", "cli-1", "--broker", broker.url, "--key-file", keyFile, "--json"]);
    expect(shown.code).toBe(0);
    const reply = JSON.parse(shown.out) as { ok: boolean; cells: { offset: number; counts: number[]; grams: number[] }[] };
    expect(reply.ok).toBe(true);
    expect(Math.abs(reply.cells[0].offset - TRUE_OFFSET)).toBeLessThan(20);
    expect(reply.cells[0].grams[0] / reply.cells[0].counts[0]).toBeCloseTo(TRUE_G_PER_COUNT, 6);
  }, 60000);

  it("a script's subcommand gets the device's refusal as JSON and exit code 1", async () => {
    const r = await aisle(["calibrate", "commit", "--device", "cli-1", "--broker", broker.url, "--key-file", keyFile, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: "not_staged" });
  });

  it("records the live raw stream into a trace that reads back with the device's calibration", async () => {
    const out = join(dir, "field.trace.csv");
    const r = await aisle(["record", "--broker", broker.url, "--device", "cli-1", "--seconds", "2", "--out", out, "--key-file", keyFile]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const trace = readTrace(out) as ShelfTrace;
    expect(trace.kind).toBe("shelf");
    expect(trace.rateHz).toBe(80);
    expect(trace.channels).toHaveLength(4);
    expect(trace.channels[0].gramsPerCount).toBeCloseTo(TRUE_G_PER_COUNT, 6);
    const n = trace.samples[0].counts.length;
    expect(n).toBeGreaterThan(140);
    expect(n).toBeLessThan(180);
    expect(readFileSync(out, "utf8")).toContain('# device: "cli-1"');
  });

  it("says what is wrong with bad arguments, and never takes a key on the command line", async () => {
    const base = ["--device", "cli-1", "--broker", broker.url, "--key-file", keyFile];
    expect(await aisle(["calibrate", "span", ...base, "--cell", "0", "--grams", "heavy"])).toMatchObject({ code: 2, err: expect.stringContaining('--grams needs a number, not "heavy"') });
    expect(await aisle(["calibrate", "launch", ...base])).toMatchObject({ code: 2, err: expect.stringContaining("unknown action") });
    expect(await aisle(["calibrate", "show", "--device", "cli-1", "--broker", broker.url])).toMatchObject({ code: 2, err: expect.stringContaining("--key-file") });
    expect(await aisle(["calibrate", "show", ...base, "--device-key", "3c".repeat(32)])).toMatchObject({ code: 2, err: expect.stringContaining("unknown option") });
    expect(await aisle(["record", ...base, "--seconds", "2", "--out", join(dir, "x.csv")])).toMatchObject({ code: 2, err: expect.stringContaining(".trace.csv") });
    expect(await aisle(["sim", "--speed", "0.5"])).toMatchObject({ code: 2, err: expect.stringContaining("--speed") });
    expect(await aisle(["sim", "--app", "gate", "--trace", "data/demo/shelf-demo.trace.csv"])).toMatchObject({ code: 2, err: expect.stringContaining("is a shelf trace: --app gate plays a gate trace") });
    expect(await aisle(["sim", "--app", "door"])).toMatchObject({ code: 2 });
    expect(await aisle(["calibrate", "show", "--device", "nobody", "--broker", broker.url, "--key-file", keyFile])).toMatchObject({ code: 1, err: expect.stringContaining("did not answer") });
  });
});
