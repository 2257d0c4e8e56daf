import type { MqttLink, MqttSession } from "../mqtt-link";
import { Dial, mqttKeeper, type MqttKeeper } from "./mqtt-keeper";

/**
 * MqttLink on the ESP8266: a thin layer over NodeMCU's mqtt client (release branch). The client
 * sends its messages one at a time and calls the one "puback" callback once for each publish, in
 * order, QoS 0 ones included (when written): so the link keeps the tokens in that order and acks
 * the oldest at each call. Reconnecting is the keeper's (mqtt-keeper.ts), and the link is the
 * keeper's object. Plain closures (docs/lua-heap.md); the client's callbacks live in the client.
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

  function onMessage(this: void, c: NodeMcuMqttClient, topic: string, data?: string): void {
    if (c === client && keeper.isUp()) {
      keeper.events().message(topic, data === undefined ? "" : data);
    }
  }

  // Each callback checks the client: after close() and a new connect(), the old one's news is stale.
  function dial(what: Dial, s: MqttSession | undefined): void {
    if (what === Dial.FORGET) {
      waiting = [];
      return;
    }
    if (what === Dial.HANG_UP) {
      const old = client;
      client = undefined;
      if (old !== undefined) {
        old.close();
      }
      return;
    }
    if (what === Dial.OPEN && s !== undefined) {
      host = s.host;
      port = s.port;
      // cleansession is 0 unless given, whatever the docs say.
      const made = mqtt.Client(s.clientId, s.keepaliveS, s.user, s.password, 1);
      made.lwt(s.willTopic, s.willPayload, 1, 1);
      made.on("offline", (cc: NodeMcuMqttClient): void => {
        if (cc === client) {
          keeper.dropped();
        }
      });
      made.on("puback", (cc: NodeMcuMqttClient): void => {
        if (cc === client && waiting.length > 0) {
          const token = waiting.shift()!;
          if (token > 0) {
            keeper.events().acked(token);
          }
        }
      });
      made.on("message", onMessage);
      // A message too long for the client comes cut short: handed on all the same, so a command gets its refusal.
      made.on("overflow", onMessage);
      client = made;
    }
    const c = client;
    if (c === undefined) {
      return;
    }
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

  keeper = mqttKeeper(dial, (topic: string, payload: string, qos: number, retain: boolean): number => {
    const c = client;
    if (!keeper.isUp() || c === undefined) {
      return 0;
    }
    const token = nextToken;
    nextToken++;
    c.publish(topic, payload, qos, retain ? 1 : 0);
    waiting.push(qos > 0 ? token : 0);
    return token;
  }, (topic: string): void => {
    const c = client;
    if (keeper.isUp() && c !== undefined) {
      c.subscribe(topic, 1);
    }
  });
  return keeper;
}
