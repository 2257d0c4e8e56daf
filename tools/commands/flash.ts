/*
 * aisle flash: a build onto a controller, verified, with the device's config provisioned from a
 * file (tools/flash/device-config-file.ts); one board, or a batch from a CSV of ports and device
 * ids, one after another, with a summary. The device's key and passwords are never printed.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import cliProgress from "cli-progress";
import { loadBoard, type BoardFile } from "../build/board-file.ts";
import { compileApp } from "../build/build.ts";
import { APPS, type AppName } from "../build/entry.ts";
import { DEVICE_ID, deviceKeyFor, deviceRecord, otaKeyFor, readDeviceConfigFile, type DeviceConfigFile } from "../flash/device-config-file.ts";
import { BoardFlashError, flashBoard } from "../flash/flash-board.ts";
import { UsageError } from "../usage-error.ts";

export interface FlashArgs {
  board?: string;
  app?: string;
  port?: string;
  deviceConfig?: string;
  device?: string;
  many?: string;
  link?: string;
  retries?: string;
  json?: boolean;
}

interface Target {
  port: string;
  deviceId: string | undefined;
  /** Where the target came from, for an error about it: "--port", or "FILE:LINE". */
  where: string;
}

interface Result {
  port: string;
  device: string | null;
  ok: boolean;
  seconds: number;
  files?: { name: string; bytes: number }[];
  key_file?: string;
  key_made?: boolean;
  step?: string;
  file?: string;
  board_state?: string;
  error?: string;
}

/** --many's CSV: a header naming port and device_id (in any order), then a row a board. */
export function readTargets(path: string): Target[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--many ${path}: ${(e as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.trim());
  const portAt = header.indexOf("port");
  const idAt = header.indexOf("device_id");
  if (portAt < 0 || idAt < 0) throw new UsageError(`--many ${path}:1: the header must name the columns port and device_id, not ${JSON.stringify(lines[0])}`);
  const targets: Target[] = [];
  const seenPorts = new Map<string, number>();
  const seenIds = new Map<string, number>();
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (line.trim() === "") return;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== header.length) throw new UsageError(`--many ${path}:${n}: ${cells.length} columns where the header has ${header.length}`);
    const port = cells[portAt];
    const id = cells[idAt];
    if (port === "") throw new UsageError(`--many ${path}:${n}: no port`);
    if (!DEVICE_ID.test(id)) throw new UsageError(`--many ${path}:${n}: device id ${JSON.stringify(id)} is not 1 to 16 letters, digits, _ or -`);
    if (seenPorts.has(port)) throw new UsageError(`--many ${path}:${n}: port ${port} is on line ${seenPorts.get(port)} too`);
    if (seenIds.has(id)) throw new UsageError(`--many ${path}:${n}: device ${id} is on line ${seenIds.get(id)} too`);
    seenPorts.set(port, n);
    seenIds.set(id, n);
    targets.push({ port, deviceId: id, where: `${path}:${n}` });
  });
  if (targets.length === 0) throw new UsageError(`--many ${path}: no boards listed under the header`);
  return targets;
}

function progressBar(quiet: boolean): { start(label: string): void; update(step: string, file: string, done: number, total: number): void; stop(): void } {
  if (quiet || !process.stderr.isTTY || process.env.CI) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, hideCursor: true, clearOnComplete: true,
    format: "{label} [{bar}] {step} {file} {value}/{total}",
  }, cliProgress.Presets.shades_classic);
  let label = "";
  let shown = "";
  return {
    start(l) {
      label = l;
      shown = "";
    },
    update(step, file, done, total) {
      if (`${step}/${file}` !== shown) {
        if (shown !== "") bar.stop();
        bar.start(Math.max(1, total), done, { label, step, file });
        shown = `${step}/${file}`;
      }
      bar.setTotal(Math.max(1, total));
      bar.update(done, { label, step, file });
    },
    stop() {
      if (shown !== "") bar.stop();
      shown = "";
    },
  };
}

function checkArgs(args: FlashArgs): { board: BoardFile; app: AppName; link: "serial" | "mqtt"; retries: number } {
  if (!args.board || !args.app) throw new UsageError("give --board B and --app shelf|gate");
  if (!APPS.includes(args.app as AppName)) throw new UsageError(`--app must be shelf or gate, not ${JSON.stringify(args.app)}`);
  if ((args.port === undefined) === (args.many === undefined)) throw new UsageError("give --port PORT for one board, or --many CSV for a batch");
  if (args.many !== undefined && args.device !== undefined) throw new UsageError("--device names one board's id; with --many the CSV names them");
  const link = args.link ?? (args.deviceConfig !== undefined ? "mqtt" : "serial");
  if (link !== "serial" && link !== "mqtt") throw new UsageError(`--link must be serial or mqtt, not ${JSON.stringify(link)}`);
  if (link === "mqtt" && args.deviceConfig === undefined) throw new UsageError("the MQTT build needs --device-config FILE: its broker, its id and its key (README, \"Flashing\")");
  if (link === "serial" && args.deviceConfig !== undefined) throw new UsageError("--device-config provisions the MQTT build; the serial build reads no config (drop --link serial)");
  const retries = args.retries === undefined ? 3 : Number(args.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) throw new UsageError(`--retries must be a whole number from 0 to 20, not ${JSON.stringify(args.retries)}`);
  return { board: loadBoard(args.board), app: args.app as AppName, link, retries };
}

async function flashOne(t: Target, o: { board: BoardFile; app: AppName; files: Record<string, string>; retries: number; config?: { file: DeviceConfigFile; path: string } }, bar: ReturnType<typeof progressBar>): Promise<Result> {
  const t0 = performance.now();
  const id = t.deviceId ?? o.config?.file.device_id;
  const result: Result = { port: t.port, device: id ?? null, ok: false, seconds: 0 };
  let record: Buffer | undefined;
  if (o.config !== undefined) {
    if (id === undefined) throw new UsageError(`${t.where}: which device is this? Give --device ID, or device_id in ${o.config.path}`);
    const k = deviceKeyFor(o.config.file, o.config.path, id);
    record = deviceRecord(o.config.file, id, k.key, otaKeyFor(o.config.file, o.config.path, id));
    result.key_file = relative(process.cwd(), k.file) || k.file;
    result.key_made = k.made;
  }
  bar.start(id ?? t.port);
  try {
    const out = await flashBoard({ board: o.board, app: o.app, port: t.port, files: o.files, deviceRecord: record, retries: o.retries, onProgress: (step, file, done, total) => bar.update(step, file, done, total) });
    result.ok = true;
    result.files = out.files;
  } catch (e) {
    if (!(e instanceof BoardFlashError)) throw e;
    Object.assign(result, { step: e.step, file: e.file || undefined, board_state: e.boardState, error: e.message });
  } finally {
    bar.stop();
  }
  result.seconds = Math.round((performance.now() - t0) / 100) / 10;
  return result;
}

function describe(r: Result): string {
  const who = r.device === null ? r.port : `${r.device} on ${r.port}`;
  if (!r.ok) return `${who}: FAILED: ${r.error}`;
  const bytes = (r.files ?? []).reduce((a, f) => a + f.bytes, 0);
  const key = r.key_file === undefined ? "" : `; key ${r.key_file}${r.key_made ? " (new)" : ""}`;
  return `${who}: flashed ${(r.files ?? []).length} files, ${bytes} bytes, verified, booted, in ${r.seconds} s${key}`;
}

export async function flashCommand(args: FlashArgs): Promise<number> {
  const { board, app, link, retries } = checkArgs(args);
  const config = args.deviceConfig === undefined ? undefined : { file: readDeviceConfigFile(args.deviceConfig), path: args.deviceConfig };
  if (args.device !== undefined && !DEVICE_ID.test(args.device)) throw new UsageError(`--device ${JSON.stringify(args.device)}: 1 to 16 letters, digits, _ or -`);
  const targets = args.many !== undefined ? readTargets(args.many) : [{ port: args.port!, deviceId: args.device, where: "--port" }];
  // One build for the batch: the budget is checked before any board is touched.
  const { files } = await compileApp(board.id, app, link === "mqtt" ? { link } : {});
  const bar = progressBar(args.json === true);
  const results: Result[] = [];
  for (const t of targets) {
    const r = await flashOne(t, { board, app, files, retries, config }, bar);
    results.push(r);
    if (!args.json) process.stdout.write(describe(r) + "\n");
  }
  const failed = results.filter((r) => !r.ok).length;
  if (args.json) {
    process.stdout.write(JSON.stringify({ board: board.id, app, link, flashed: results.length - failed, failed, results }, null, 2) + "\n");
  } else if (results.length > 1) {
    process.stdout.write(`${results.length - failed} of ${results.length} boards flashed${failed ? `; ${failed} failed (above)` : ""}\n`);
  }
  return failed === 0 ? 0 : 1;
}
