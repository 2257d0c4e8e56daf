/*
 * aisle ota: a signed bundle update of one device over MQTT (docs/ota.md). It builds the app for
 * the board on MQTT (or takes --bundle FILE), signs it with the device's OTA key derived from the
 * fleet key, sends it as signed commands (the device key: --key-file or AISLE_DEVICE_KEY), and
 * waits until the device is back on the new bundle and has confirmed it, or its boot loader has
 * rolled it back. Exit 0 only when the new bundle confirmed itself.
 */
import { userInfo } from "node:os";
import cliProgress from "cli-progress";
import { APPS, type AppName } from "../build/entry.ts";
import { DeviceClient, DeviceError } from "../mqtt/device-client.ts";
import { defaultVersion, signBundle } from "../ota/bundle-signature.ts";
import { otaBundle } from "../ota/ota-bundle.ts";
import { deriveOtaKey, readKeyFile } from "../ota/ota-key.ts";
import { OtaError, sendBundle } from "../ota/ota-transfer.ts";
import { OtaWatch, type OtaOutcome } from "../ota/ota-watch.ts";
import { UsageError } from "../usage-error.ts";
import { deviceKey } from "./calibrate.ts";

export interface OtaOptions {
  board?: string;
  app?: string;
  device?: string;
  broker: string;
  fleetKeyFile?: string;
  keyFile?: string;
  technician?: string;
  bundle?: string;
  version?: string;
  waitS?: string;
  json?: boolean;
}

/** The device's loader gives a bundle on trial a minute: this leaves it time to boot, connect and say so. */
const DEFAULT_WAIT_S = 180;

function progressBar(quiet: boolean): { update(sent: number, total: number): void; stop(): void } {
  if (quiet || !process.stderr.isTTY || process.env.CI) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: "ota [{bar}] {value}/{total} bytes | ETA {eta_formatted}",
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(sent, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(sent);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Every option checked before anything is built or sent. */
function checked(o: OtaOptions): { app: AppName; device: string; waitMs: number } {
  if (!o.board) throw new UsageError("--board ID is required (aisle boards lists them)");
  if (!o.app || !APPS.includes(o.app as AppName)) throw new UsageError(`--app must be one of ${APPS.join(", ")}`);
  if (!o.device || !/^[a-z0-9-]{1,16}$/.test(o.device)) throw new UsageError(`--device ID is required: 1 to 16 of a-z, 0-9 and -${o.device ? `, not "${o.device}"` : ""}`);
  if (!/^mqtts?:\/\/[^/]+\/?$/.test(o.broker)) throw new UsageError(`--broker must be mqtt://host:port, not "${o.broker}"`);
  if (!o.fleetKeyFile) throw new UsageError("--fleet-key-file FILE is required: the fleet's 32-byte key, 64 hex digits (docs/ota.md)");
  if (o.version !== undefined && !/^[!-~]{1,32}$/.test(o.version)) throw new UsageError(`--version must be 1 to 32 printable characters without spaces, not "${o.version}"`);
  const waitS = o.waitS === undefined ? DEFAULT_WAIT_S : Number(o.waitS);
  if (!(waitS > 0)) throw new UsageError(`--wait-s needs a number of seconds above 0, not "${o.waitS}"`);
  return { app: o.app as AppName, device: o.device, waitMs: waitS * 1000 };
}

function describe(device: string, o: OtaOutcome): string {
  switch (o.result) {
    case "confirmed":
      return `${device} runs ${o.version}: it came back on it (boot ${o.boot}) and confirmed it`;
    case "rolled_back":
      return `${device} ROLLED BACK ${o.version}: its boot loader restored the previous bundle (${o.detail === "crash" ? "the new one failed at boot" : o.detail === "reboot" ? "it restarted before confirming" : "it did not report healthy in time"})`;
    case "refused":
      return `${device} refused ${o.version}: ${o.detail}`;
    default:
      return `${device}: no word of ${o.version} within the wait; see aisle/v1/${device}/health`;
  }
}

export async function otaCommand(o: OtaOptions): Promise<number> {
  const { app, device, waitMs } = checked(o);
  const fleetKey = readKeyFile(o.fleetKeyFile!, "--fleet-key-file");
  const key = deviceKey(o);
  const tech = o.technician ?? process.env.AISLE_TECH ?? userInfo().username;
  const bundle = await otaBundle(o.board!, app, o.bundle);
  const version = o.version ?? defaultVersion(app, bundle.bytes);
  const signed = signBundle(deriveOtaKey(fleetKey, device), `${bundle.board.id}/${app}`, version, bundle.bytes);
  const say = (line: string) => o.json || process.stderr.write(`aisle ota: ${line}\n`);
  say(`${bundle.bytes.length} bytes of ${bundle.board.id}/${app} from ${bundle.from}, version ${version}`);
  let watch: OtaWatch | undefined;
  let client: DeviceClient | undefined;
  const bar = progressBar(o.json === true);
  let outcome: OtaOutcome;
  try {
    watch = await OtaWatch.open(o.broker, device);
    client = await DeviceClient.connect(o.broker, device, key, tech);
    const committed = await sendBundle(client, signed, { onProgress: (sent, total) => bar.update(sent, total) });
    bar.stop();
    say(committed === undefined ? "no reply to ota_commit: waiting to see what the device did" : "committed: the device checked the bundle and is switching to it");
    outcome = await watch.outcome(version, waitMs);
  } catch (e) {
    bar.stop();
    if (!(e instanceof OtaError) && !(e instanceof DeviceError)) throw e;
    outcome = { result: "refused", version, detail: e.message, boot: undefined };
  } finally {
    await client?.close();
    await watch?.close();
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({ device, board: bundle.board.id, app, bytes: bundle.bytes.length, ...outcome }) + "\n");
  } else {
    process.stdout.write(describe(device, outcome) + "\n");
  }
  return outcome.result === "confirmed" ? 0 : 1;
}
