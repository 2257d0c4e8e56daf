/*
 * What most MQTT tests start from: a live shelf on a broker, a back office watching its topics,
 * and a technician's client, with the device online (it subscribes to its commands before it
 * says so) before the test goes on.
 */
import { startLiveShelf, type LiveShelf } from "../../sim/live/live-shelf.ts";
import { DeviceClient } from "../../tools/mqtt/device-client.ts";
import type { Mosquitto } from "./mosquitto.ts";
import { MqttWatch } from "./mqtt-watch.ts";

export interface OnlineShelf {
  live: LiveShelf;
  /** Everything under the watched topic ("#" of the device unless told). */
  watch: MqttWatch;
  tech: DeviceClient;
  close(): Promise<void>;
}

export interface OnlineShelfOptions {
  board: string;
  trace: string;
  device: string;
  key: Buffer;
  /** The device's key for bundle updates (docs/ota.md), in its record. */
  otaKey?: Buffer;
  speed: number | "max";
  /** The technician's name in audit records. */
  tech?: string;
  /** What the watch subscribes to, under aisle/v1/DEVICE/ (default "#"). */
  watch?: string;
}

export async function onlineShelf(broker: Mosquitto, o: OnlineShelfOptions): Promise<OnlineShelf> {
  const online = await MqttWatch.open(broker.url, `aisle/v1/${o.device}/status`);
  const watch = await MqttWatch.open(broker.url, `aisle/v1/${o.device}/${o.watch ?? "#"}`);
  const live = await startLiveShelf({ board: o.board, trace: o.trace, brokerUrl: broker.url, deviceId: o.device, key: o.key, otaKey: o.otaKey, speed: o.speed });
  await online.until(() => online.seen.some((s) => s.body.state === "online"), `${o.device} online`);
  await online.close();
  const tech = await DeviceClient.connect(broker.url, o.device, o.key, o.tech ?? "alice");
  return {
    live,
    watch,
    tech,
    close: async () => {
      await tech.close();
      await watch.close();
      await live.stop();
    },
  };
}
