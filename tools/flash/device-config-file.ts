/*
 * The per-device config that `aisle flash --device-config FILE` provisions (README, "Flashing"):
 * a JSON file on the engineer's machine, never in the repo or a bundle, turned into the CBOR
 * "device" record the firmware reads from its store (firmware/core/device-config.ts, docs/mqtt.md).
 * One file can serve a whole batch (`--many`): the device id then comes from the CSV, and each
 * device's key from keys_dir/ID.key, made (32 random bytes, mode 0600) for a device that has none.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Encoder } from "cbor-x";
import { deriveOtaKey } from "../ota/ota-key.ts";
import { UsageError } from "../usage-error.ts";

export interface DeviceConfigFile {
  device_id?: string;
  broker: string;
  user?: string;
  password?: string;
  key_file?: string;
  keys_dir?: string;
  /** The fleet's key: each device's record gets ota_key, its key for bundle updates, derived from it (docs/ota.md). */
  fleet_key_file?: string;
  keepalive_s?: number;
  wifi?: { ssid: string; password?: string };
}

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["broker"],
  properties: {
    device_id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,16}$" },
    broker: { type: "string", pattern: "^mqtt://[^/:]+(:[0-9]{1,5})?/?$" },
    user: { type: "string", maxLength: 64 },
    password: { type: "string", maxLength: 64 },
    key_file: { type: "string", minLength: 1 },
    keys_dir: { type: "string", minLength: 1 },
    fleet_key_file: { type: "string", minLength: 1 },
    keepalive_s: { type: "integer", minimum: 5, maximum: 3600 },
    wifi: {
      type: "object",
      additionalProperties: false,
      required: ["ssid"],
      properties: { ssid: { type: "string", minLength: 1, maxLength: 32 }, password: { type: "string", maxLength: 64 } },
    },
  },
} as const;

const validate = new Ajv2020({ allErrors: true }).compile(SCHEMA);

export const DEVICE_ID = /^[A-Za-z0-9_-]{1,16}$/;

/** Reads and checks the file; every problem at once, each with its JSON path. */
export function readDeviceConfigFile(path: string): DeviceConfigFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`--device-config ${path}: ${(e as Error).message}`);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(top level)"}: ${e.keyword === "additionalProperties" ? `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"` : e.message}`);
    throw new UsageError(`--device-config ${path}:\n  ${problems.join("\n  ")}`);
  }
  const c = data as DeviceConfigFile;
  if ((c.key_file === undefined) === (c.keys_dir === undefined)) {
    throw new UsageError(`--device-config ${path}: give the device's key as key_file (one device) or keys_dir (DIR/ID.key for each device), one of the two`);
  }
  return c;
}

/** The 32-byte key in a key file: 64 hex digits. */
export function readKeyFile(path: string): Buffer {
  const text = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`${path}: a device key is 64 hex digits (32 bytes), on one line`);
  return Buffer.from(text, "hex");
}

/**
 * The device's key: key_file's, or keys_dir/ID.key's, made when there is none (a new device gets
 * its own key at its first flash; the back office reads it from there).
 */
export function deviceKeyFor(config: DeviceConfigFile, configPath: string, deviceId: string): { key: Buffer; file: string; made: boolean } {
  const base = dirname(resolve(configPath));
  if (config.key_file !== undefined) {
    const file = resolve(base, config.key_file);
    if (!existsSync(file)) throw new UsageError(`--device-config ${configPath}: key_file ${file} does not exist`);
    return { key: readKeyFile(file), file, made: false };
  }
  const dir = resolve(base, config.keys_dir!);
  const file = join(dir, `${deviceId}.key`);
  if (existsSync(file)) return { key: readKeyFile(file), file, made: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  return { key, file, made: true };
}

/** The device's key for bundle updates, derived from fleet_key_file when the config has one (docs/ota.md); else undefined, and the device refuses updates. */
export function otaKeyFor(config: DeviceConfigFile, configPath: string, deviceId: string): Buffer | undefined {
  if (config.fleet_key_file === undefined) return undefined;
  const file = resolve(dirname(resolve(configPath)), config.fleet_key_file);
  if (!existsSync(file)) throw new UsageError(`--device-config ${configPath}: fleet_key_file ${file} does not exist`);
  return deriveOtaKey(readKeyFile(file), deviceId);
}

/** The CBOR "device" record for one device (docs/mqtt.md, "The device record"); with otaKey, its ota_key. */
export function deviceRecord(config: DeviceConfigFile, deviceId: string, key: Buffer, otaKey?: Buffer): Buffer {
  if (!DEVICE_ID.test(deviceId)) throw new UsageError(`device id ${JSON.stringify(deviceId)}: 1 to 16 letters, digits, _ or -`);
  const url = new URL(config.broker);
  const body: Record<string, unknown> = {
    v: 1, id: deviceId, host: url.hostname, port: Number(url.port || 1883), user: config.user ?? "", pass: config.password ?? "",
    key, keepalive_s: config.keepalive_s ?? 30,
  };
  if (otaKey !== undefined) body.ota_key = otaKey;
  if (config.wifi !== undefined) {
    body.wifi_ssid = config.wifi.ssid;
    body.wifi_pass = config.wifi.password ?? "";
  }
  return Buffer.from(new Encoder({ useRecords: false, tagUint8Array: false }).encode(body));
}
