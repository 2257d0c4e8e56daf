import type { MqttClient } from "mqtt";

/**
 * Turns Nagle's algorithm off on an mqtt.js client's socket, on every (re)connection: mqtt.js
 * leaves it on, and with delayed ACKs each small request/reply then waits about 40 ms.
 */
export function noDelay(client: MqttClient): MqttClient {
  client.on("connect", () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
  return client;
}
