/*
 * docs/mqtt.md's mosquitto ACL, on a real mosquitto: a device logs in as itself and reaches only
 * its own topics; a technician commands any device; a stranger gets nowhere. (TLS is the
 * listener's business and left out here: the ACL is the same behind it.)
 */
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mosquitto } from "./support/mosquitto.ts";

/** The ACL exactly as the doc gives it: the lines between its aisle.acl heading and the logins. */
function aclFromDoc(): string {
  const doc = readFileSync(join(import.meta.dirname, "../docs/mqtt.md"), "utf8");
  const start = doc.indexOf("`/etc/mosquitto/aisle.acl`");
  const block = doc.slice(start, doc.indexOf("Logins:", start)).split("\n").filter((l) => l.startsWith("    "));
  return block.map((l) => l.slice(4)).join("\n") + "\n";
}

let broker: Mosquitto;
const clients: MqttClient[] = [];

async function login(user: string, password: string): Promise<MqttClient> {
  const c = mqtt.connect(broker.url, { username: user, password, protocolVersion: 4, reconnectPeriod: 0 });
  clients.push(c);
  await new Promise<void>((resolve, reject) => {
    c.once("connect", () => resolve());
    c.once("error", reject);
  });
  return c;
}

/** What `who` receives on `topic` within a moment after `from` publishes there. */
async function delivered(who: MqttClient, from: MqttClient, topic: string): Promise<boolean> {
  const granted = await who.subscribeAsync(topic, { qos: 1 });
  if (granted[0].qos === 128) return false;
  let got = false;
  const on = (t: string) => {
    if (t === topic) got = true;
  };
  who.on("message", on);
  await from.publishAsync(topic, "x", { qos: 1 });
  await new Promise((r) => setTimeout(r, 300));
  who.off("message", on);
  await who.unsubscribeAsync(topic);
  return got;
}

beforeAll(async () => {
  broker = new Mosquitto({ config: ["allow_anonymous false", "password_file $DIR/aisle.passwd", "acl_file $DIR/aisle.acl"], files: { "aisle.acl": aclFromDoc() } });
  const passwd = join(broker.dir, "aisle.passwd");
  writeFileSync(passwd, "");
  for (const [u, p] of [["shelf-a1", "pw-a1"], ["shelf-a2", "pw-a2"], ["tech-alice", "pw-alice"], ["backoffice", "pw-bo"]]) execFileSync("mosquitto_passwd", ["-b", passwd, u, p]);
  chmodSync(passwd, 0o644);
  await broker.start();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await broker.stop();
});

describe("mosquitto with docs/mqtt.md's logins and ACL", () => {
  it("lets a device publish its own telemetry and read its own commands, and nothing of another device's", async () => {
    const a1 = await login("shelf-a1", "pw-a1");
    const a2 = await login("shelf-a2", "pw-a2");
    const tech = await login("tech-alice", "pw-alice");
    const office = await login("backoffice", "pw-bo");
    expect(await delivered(office, a1, "aisle/v1/shelf-a1/event")).toBe(true);
    expect(await delivered(a1, tech, "aisle/v1/shelf-a1/cmd")).toBe(true);
    // A device cannot speak for another, read another's commands, or command anything.
    expect(await delivered(office, a2, "aisle/v1/shelf-a1/event")).toBe(false);
    expect(await delivered(a2, tech, "aisle/v1/shelf-a1/cmd")).toBe(false);
    expect(await delivered(a1, a2, "aisle/v1/shelf-a1/cmd")).toBe(false);
    // The back office reads but cannot command.
    expect(await delivered(a1, office, "aisle/v1/shelf-a1/cmd")).toBe(false);
  });

  it("turns away a wrong password and an anonymous client", async () => {
    for (const opts of [{ username: "shelf-a1", password: "nope" }, {}]) {
      const c = mqtt.connect(broker.url, { ...opts, protocolVersion: 4, reconnectPeriod: 0 });
      const err = await new Promise<Error>((resolve) => c.once("error", resolve));
      expect(err.message).toMatch(/Not authorized|Bad username or password/);
      c.end(true);
    }
  });
});
