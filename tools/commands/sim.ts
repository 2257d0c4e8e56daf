/*
 * aisle sim: a live virtual shelf or gate on a broker, fed from a trace at real time or faster,
 * for a technician to calibrate or a back office to watch. A gate's admissions (the trace's
 * LANE.admit cells) go to it as signed admit commands from an admission server of the sim's own
 * (sim/live/admission-server.ts). Without --broker it starts the embedded one. The device's key
 * comes from --key-file or AISLE_DEVICE_KEY; with neither, a new one is made and kept in
 * .aisle/keys/DEVICE.key (only you may read it) for aisle calibrate to use.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeDevicePayload } from "../mqtt/device-payload.ts";
import mqtt from "mqtt";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../sim/broker/embedded-broker.ts";
import { startLiveGate } from "../../sim/live/live-gate.ts";
import { startLiveShelf } from "../../sim/live/live-shelf.ts";
import { deriveOtaKey, readKeyFile } from "../ota/ota-key.ts";
import { openTraceStream } from "../../sim/trace/open-trace-stream.ts";
import { readDeviceKey } from "../mqtt/device-client.ts";
import { REPO } from "../paths.ts";
import { UsageError } from "../usage-error.ts";
import { loadBoard } from "../build/board-file.ts";

export interface SimOptions {
  board: string;
  app: string;
  /** Default: the app's demo trace. */
  trace?: string;
  broker?: string;
  speed: string;
  /** Default: shelf-sim or gate-sim. */
  device?: string;
  keyFile?: string;
  /** The fleet's key: the device gets its own key for bundle updates from it (docs/ota.md). */
  fleetKeyFile?: string;
  hold?: boolean;
}


function keyFor(opts: SimOptions & { device: string }): { key: Buffer; where: string } {
  if (opts.keyFile) return { key: readDeviceKey(readFileSync(opts.keyFile, "utf8"), opts.keyFile), where: opts.keyFile };
  if (process.env.AISLE_DEVICE_KEY) return { key: readDeviceKey(process.env.AISLE_DEVICE_KEY, "AISLE_DEVICE_KEY"), where: "AISLE_DEVICE_KEY" };
  const dir = join(REPO, ".aisle", "keys");
  const file = join(dir, `${opts.device}.key`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
  }
  return { key: readDeviceKey(readFileSync(file, "utf8"), file), where: file };
}

/** One line for what the device published, as a person reads it. */
function describe(topic: string, m: Record<string, unknown>): string {
  const kind = topic.slice(topic.lastIndexOf("/") + 1);
  const at = `at ${((m.t_ms as number) / 1000).toFixed(1)} s`;
  if (kind === "event" && m.grams === undefined) return `event  ${m.type} ${m.lane} ${at} (seq ${m.seq})`;
  if (kind === "event") return `event  ${m.type} ${m.lane} ${m.grams} g${m.count === null ? "" : `, ${m.count} × ${m.sku || "item"}`} ${at} (seq ${m.seq})`;
  if (kind === "health" && m.kind === "gate") return `health ${m.type} ${m.lane} ${at} (seq ${m.seq})`;
  if (kind === "health" && m.kind === "admit_refused") return `refused admission ${m.token} on ${m.lane}: ${m.error} ${at} (seq ${m.seq})`;
  if (kind === "status") return `status ${m.state}${m.boot === undefined ? "" : ` (boot ${m.boot})`}`;
  if (kind === "health" && m.kind === "fault") return `fault  cell ${m.cell} ${m.fault} ${m.active ? "began" : "cleared"}`;
  if (kind === "audit") return `audit  ${m.what} changed by ${m.tech} (${m.cmd})`;
  return "";
}

export async function simCommand(opts: SimOptions): Promise<number> {
  if (opts.app !== "shelf" && opts.app !== "gate") throw new UsageError(`--app ${opts.app}: shelf or gate`);
  const app = opts.app;
  const speed: number | "max" = opts.speed === "max" ? "max" : Number(opts.speed);
  if (speed !== "max" && !(speed >= 1 && Number.isFinite(speed))) throw new UsageError(`--speed ${opts.speed}: a number from 1 (real time) up, or max`);
  const device = opts.device ?? `${app}-sim`;
  if (!/^[a-z0-9-]{1,16}$/.test(device)) throw new UsageError(`--device ${device}: 1 to 16 of a-z, 0-9 and -`);
  const trace = opts.trace ?? `data/demo/${app}-demo.trace.csv`;
  if (!existsSync(trace)) throw new UsageError(`--trace ${trace}: no such file`);
  const input = openTraceStream(trace);
  const kind = "next" in input ? "shelf" : "gate";
  if ("next" in input) input.close();
  if (kind !== app) throw new UsageError(`--trace ${trace} is a ${kind} trace: --app ${app} plays a ${app} trace`);
  loadBoard(opts.board);
  const { key, where } = keyFor({ ...opts, device });
  const otaKey = opts.fleetKeyFile === undefined ? undefined : deriveOtaKey(readKeyFile(opts.fleetKeyFile, "--fleet-key-file"), device);
  let embedded: EmbeddedBroker | undefined;
  let url = opts.broker;
  if (url === undefined) {
    embedded = await startEmbeddedBroker(0);
    url = embedded.url;
  }
  const watch = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 1000 });
  watch.on("message", (topic, payload) => {
    const m = decodeDevicePayload(payload);
    const line = m === undefined ? undefined : describe(topic, m);
    if (line) process.stdout.write(`  ${line}\n`);
  });
  watch.on("connect", () => void watch.subscribeAsync(`aisle/v1/${device}/+`, { qos: 1 }));
  const o = {
    board: opts.board, trace, brokerUrl: url, deviceId: device, key, otaKey, speed,
    onLine: (l: string) => {
      if (!l.startsWith("~") && !l.startsWith(">")) process.stdout.write(`  device: ${l}\n`);
    },
  };
  const live = app === "gate" ? await startLiveGate(o) : await startLiveShelf(o);
  const keyPath = where === "AISLE_DEVICE_KEY" ? "<file>" : where;
  process.stdout.write(`aisle sim: ${device} (${opts.board}, ${app}) on ${url}${embedded ? " (embedded broker)" : ""} at ${speed === "max" ? "full speed" : `${speed}x`}; key ${where}\n` +
    (app === "gate"
      ? "  the trace's admissions go to it as signed admit commands (docs/mqtt.md, \"Gate\")\n"
      : `  calibrate it: aisle calibrate wizard --device ${device} --broker ${url} --key-file ${keyPath}\n`) +
    (otaKey === undefined ? "" : `  update it: aisle ota --board ${opts.board} --app ${app} --device ${device} --broker ${url} --fleet-key-file ${opts.fleetKeyFile} --key-file ${keyPath}\n`) +
    "  Ctrl-C stops it.\n");
  const interrupted = new Promise<void>((resolve) => process.once("SIGINT", resolve));
  const finished = opts.hold ? new Promise<void>(() => {}) : live.waitUntilFed(3e6, 2 ** 31 - 1);
  await Promise.race([interrupted, finished]);
  await live.stop();
  await watch.endAsync();
  await embedded?.close();
  process.stdout.write("aisle sim: stopped\n");
  return 0;
}
