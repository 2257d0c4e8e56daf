/*
 * Provisioning a device for bundle updates (docs/ota.md): aisle flash's device config with
 * fleet_key_file writes ota_key = HMAC-SHA256(fleet key, "aisle-ota/v1/" + id) into the device
 * record, which the firmware reads; without it the record has none and the device refuses
 * updates; a malformed ota_key refuses updates without taking the device off the network.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Encoder } from "cbor-x";
import { describe, expect, it } from "vitest";
import { loadDeviceConfig } from "../firmware/core/device-config.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";
import { deviceRecord, otaKeyFor, readDeviceConfigFile } from "../tools/flash/device-config-file.ts";
import { deriveOtaKey } from "../tools/ota/ota-key.ts";

const dir = mkdtempSync(join(tmpdir(), "aisle-ota-prov-"));
const FLEET = Buffer.alloc(32, 0x5f);
const KEY = Buffer.alloc(32, 0x21);
writeFileSync(join(dir, "fleet.key"), FLEET.toString("hex") + "\n");
writeFileSync(join(dir, "dev.key"), KEY.toString("hex") + "\n");

function config(extra: Record<string, unknown>): string {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ broker: "mqtt://10.0.0.5:1883", key_file: "dev.key", ...extra }));
  return path;
}

const firmwareSees = (record: Buffer) => loadDeviceConfig(new TearingStore(new Map([["device", record.toString("latin1")]])));

describe("provisioning the OTA key", () => {
  it("derives each device's own key from fleet_key_file into its record, which the firmware reads", () => {
    const path = config({ fleet_key_file: "fleet.key" });
    const c = readDeviceConfigFile(path);
    for (const id of ["shelf-1", "shelf-2"]) {
      const seen = firmwareSees(deviceRecord(c, id, KEY, otaKeyFor(c, path, id)));
      expect(seen.bad).toBe("");
      expect(Buffer.from(seen.otaKey, "latin1")).toEqual(deriveOtaKey(FLEET, id));
    }
    expect(deriveOtaKey(FLEET, "shelf-1")).not.toEqual(deriveOtaKey(FLEET, "shelf-2"));
  });

  it("leaves it out without fleet_key_file, and says which file is missing", () => {
    const path = config({});
    const c = readDeviceConfigFile(path);
    expect(otaKeyFor(c, path, "shelf-1")).toBeUndefined();
    expect(firmwareSees(deviceRecord(c, "shelf-1", KEY))).toMatchObject({ bad: "", otaKey: "" });
    const missing = config({ fleet_key_file: "nope.key" });
    expect(() => otaKeyFor(readDeviceConfigFile(missing), missing, "shelf-1")).toThrow(/fleet_key_file .*nope\.key does not exist/);
  });

  it("treats a malformed ota_key as none: updates refused, the device still on the network", () => {
    const record = Buffer.from(new Encoder({ useRecords: false, tagUint8Array: false }).encode({ v: 1, id: "shelf-1", host: "h", port: 1883, user: "", pass: "", key: KEY, keepalive_s: 30, ota_key: Buffer.alloc(31) }));
    expect(firmwareSees(record)).toMatchObject({ bad: "", otaKey: "" });
  });
});
