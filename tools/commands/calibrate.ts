/*
 * aisle calibrate: the technician's tool (docs/mqtt.md). One subcommand per device command for
 * scripts (--json prints the device's reply), and `wizard`, which walks through tare, span,
 * verify and commit with a live readout. The key comes from --key-file or AISLE_DEVICE_KEY, never
 * from the command line, where shell history would keep it.
 */
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { DeviceClient, DeviceError, readDeviceKey, type Reply } from "../mqtt/device-client.ts";
import { UsageError } from "../usage-error.ts";
import { runWizard } from "../mqtt/calibration-wizard.ts";

export const CALIBRATE_ACTIONS = ["show", "tare", "span", "verify", "commit", "rollback", "set-lane", "stream", "config", "reboot", "wizard"] as const;

export interface CalibrateOptions {
  device?: string;
  broker: string;
  keyFile?: string;
  tech?: string;
  cell?: string;
  grams?: string;
  tolG?: string;
  lane?: string;
  unitG?: string;
  sku?: string;
  secs?: string;
  key?: string;
  value?: string;
  json?: boolean;
}

function numberOption(name: string, text: string | undefined): number {
  const x = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(x)) throw new UsageError(`--${name} needs a number${text === undefined ? "" : `, not "${text}"`}`);
  return x;
}

export function deviceKey(opts: { keyFile?: string }): Buffer {
  if (opts.keyFile) {
    let text: string;
    try {
      text = readFileSync(opts.keyFile, "utf8");
    } catch (e) {
      throw new UsageError(`--key-file ${opts.keyFile}: ${(e as Error).message}`);
    }
    return readDeviceKey(text, opts.keyFile);
  }
  const env = process.env.AISLE_DEVICE_KEY;
  if (env) return readDeviceKey(env, "AISLE_DEVICE_KEY");
  throw new UsageError("the device key: give --key-file FILE (64 hex digits) or set AISLE_DEVICE_KEY");
}

/** The device command and its fields for a subcommand, every option checked before anything is sent. */
export function commandFor(action: string, o: CalibrateOptions): [string, Record<string, unknown>] {
  switch (action) {
    case "show":
    case "commit":
    case "rollback":
    case "reboot":
      return [action, {}];
    case "tare":
      return ["tare", { cell: numberOption("cell", o.cell) }];
    case "span":
      return ["span", { cell: numberOption("cell", o.cell), grams: numberOption("grams", o.grams) }];
    case "verify":
      return ["verify", { cell: numberOption("cell", o.cell), grams: numberOption("grams", o.grams), tol_g: o.tolG === undefined ? 1 : numberOption("tol-g", o.tolG) }];
    case "set-lane":
      if (!o.lane) throw new UsageError("set-lane needs --lane ID");
      return ["set_lane", { lane: o.lane, unit_g: numberOption("unit-g", o.unitG), sku: o.sku ?? "" }];
    case "stream":
      return ["stream", { secs: numberOption("secs", o.secs) }];
    case "config":
      if (!o.key) throw new UsageError("config needs --key NAME and --value X");
      return ["config", { key: o.key, value: numberOption("value", o.value) }];
    default:
      throw new UsageError(`unknown action "${action}": one of ${CALIBRATE_ACTIONS.join(", ")}`);
  }
}

function describe(r: Reply): string {
  if (!r.ok) return `refused: ${r.error}${r.detail ? ` (${r.detail})` : ""}`;
  const { v: _v, id: _id, ok: _ok, ...rest } = r;
  return `ok ${JSON.stringify(rest)}`;
}

export async function calibrateCommand(action: string, opts: CalibrateOptions): Promise<number> {
  if (!opts.device) throw new UsageError("--device ID is required");
  const tech = opts.tech ?? process.env.AISLE_TECH ?? userInfo().username;
  const key = deviceKey(opts);
  const command = action === "wizard" ? undefined : commandFor(action, opts);
  let client: DeviceClient;
  try {
    client = await DeviceClient.connect(opts.broker, opts.device, key, tech);
  } catch (e) {
    process.stderr.write(`aisle calibrate: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    if (command === undefined) return await runWizard(client, opts.cell === undefined ? 0 : numberOption("cell", opts.cell));
    const reply = await client.command(command[0], command[1]);
    if (command[0] === "stream" && reply.ok) {
      client.raw.push((b) => process.stdout.write(JSON.stringify(b) + "\n"));
      await new Promise((r) => setTimeout(r, (command[1].secs as number) * 1000 + 500));
    }
    process.stdout.write((opts.json ? JSON.stringify(reply) : describe(reply)) + "\n");
    return reply.ok ? 0 : 1;
  } catch (e) {
    if (!(e instanceof DeviceError)) throw e;
    process.stderr.write(`aisle calibrate: ${e.message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}
