import type { MqttLink, MqttSession } from "../mqtt-link";
import { mqttKeeper, type MqttKeeper } from "./mqtt-keeper";

/**
 * MqttLink on the ESP8266: a thin layer over NodeMCU's mqtt client (release branch). The client
 * sends its messages one at a time and calls the one "puback" callback once for each publish, in
 * order, QoS 0 ones included (when written): so the link keeps the tokens in that order and acks
 * the oldest at each call. Reconnecting is the keeper's (mqtt-keeper.ts). A plain object over
 * closures (docs/lua-heap.md); the client's callbacks live in the client, not in the link.
 */
export function nodemcuMqttLink(): MqttLink {
  let client: NodeMcuMqttClient | undefined = undefined;
  /* Where the client dials, again after each drop. */
  let host = "";
  let port = 0;
  let nextToken = 1;
  /* Tokens awaiting their puback call, oldest first (0 for QoS 0). */
  let waiting: number[] = [];
  let keeper: MqttKeeper;

  // Each callback checks the client: after close() and a new connect(), the old one's news is stale.
  function dial(c: NodeMcuMqttClient): void {
    c.connect(host, port, false, (cc: NodeMcuMqttClient): void => {
      if (cc === client) {
        keeper.connected();
      } else {
        // A dial that was under way when close() came (the ESP8266 cannot stop one) came through: hang it up.
        cc.close();
      }
    }, (cc: NodeMcuMqttClient): void => {
      if (cc === client) {
        keeper.dropped();
      }
    });
  }

  function onMessage(this: void, c: NodeMcuMqttClient, topic: string, data?: string): void {
    if (c === client && keeper.isUp()) {
      keeper.events().message(topic, data === undefined ? "" : data);
    }
  }

  keeper = mqttKeeper({
    open(s: MqttSession): void {
      host = s.host;
      port = s.port;
      // cleansession is 0 unless given, whatever the docs say.
      const c = mqtt.Client(s.clientId, s.keepaliveS, s.user, s.password, 1);
      c.lwt(s.willTopic, s.willPayload, 1, 1);
      c.on("offline", (cc: NodeMcuMqttClient): void => {
        if (cc === client) {
          keeper.dropped();
        }
      });
      c.on("puback", (cc: NodeMcuMqttClient): void => {
        if (cc === client && waiting.length > 0) {
          const token = waiting.shift()!;
          if (token > 0) {
            keeper.events().acked(token);
          }
        }
      });
      c.on("message", onMessage);
      // A message too long for the client comes cut short: handed on all the same, so a command gets its refusal.
      c.on("overflow", onMessage);
      client = c;
      dial(c);
    },
    redial(): void {
      if (client !== undefined) {
        dial(client);
      }
    },
    hangUp(): void {
      const c = client;
      client = undefined;
      if (c !== undefined) {
        c.close();
      }
    },
    forget(): void {
      waiting = [];
    },
  });

  return {
    connect: keeper.connect,
    isUp: keeper.isUp,
    close: keeper.close,
    publish(topic: string, payload: string, qos: number, retain: boolean): number {
      const c = client;
      if (!keeper.isUp() || c === undefined) {
        return 0;
      }
      const token = nextToken;
      nextToken++;
      c.publish(topic, payload, qos, retain ? 1 : 0);
      waiting.push(qos > 0 ? token : 0);
      return token;
    },
    subscribe(topic: string): void {
      const c = client;
      if (keeper.isUp() && c !== undefined) {
        c.subscribe(topic, 1);
      }
    },
  };
}
