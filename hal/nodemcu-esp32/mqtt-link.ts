import type { MqttLink, MqttSession } from "../mqtt-link";
import { Dial, mqttKeeper, type MqttKeeper } from "../nodemcu/mqtt-keeper";

interface Held {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  token: number;
}

/**
 * MqttLink on the ESP32 (dev-esp32): the keeper both chips share (mqtt-keeper.ts), whose object it
 * is, and closures. Its mqtt module differs from the ESP8266's where the link cares: no "puback" event, only a one-shot callback per publish that the next publish replaces,
 * and several messages in flight. A second QoS 1 publish before the first's PUBACK would take the
 * first's callback, and one of the two acks would never be told. So the link keeps one QoS 1
 * publish in flight, as the ESP8266's client does by itself, and holds what comes meanwhile, in
 * order. secure goes as 0: a boolean there would lose the callbacks after it.
 * Limit of the platform: lwt() never hands qos and retain to esp-mqtt, so the will goes at QoS 0
 * and is not retained, whatever the session asks.
 */
export function esp32MqttLink(): MqttLink {
  let client: Esp32MqttClient | undefined = undefined;
  /* Where the client dials, again after each drop. */
  let host = "";
  let port = 0;
  let nextToken = 1;
  /** The QoS 1 publish awaiting its PUBACK; 0 when none. */
  let inFlight = 0;
  /* What came while a QoS 1 publish awaited its PUBACK, oldest first. */
  let held: Held[] = [];
  let keeper: MqttKeeper;
  /* The one-shot callback every QoS 1 publish is given (below). */
  let onPuback: (this: void, c: Esp32MqttClient) => void;

  function send(m: Held): void {
    const c = client;
    if (c === undefined) {
      return;
    }
    if (m.qos > 0) {
      // Refused (no connection, outbox full): nothing will ack it, and the app's outbox sends it again.
      inFlight = c.publish(m.topic, m.payload, m.qos, m.retain ? 1 : 0, onPuback) ? m.token : 0;
    } else {
      c.publish(m.topic, m.payload, 0, m.retain ? 1 : 0);
    }
  }

  /* A PUBACK: sends what was held, QoS 0 messages straight away, up to and including the next QoS 1. */
  onPuback = (c: Esp32MqttClient): void => {
    const token = inFlight;
    if (c !== client || token === 0) {
      return;
    }
    inFlight = 0;
    while (inFlight === 0 && held.length > 0) {
      send(held.shift()!);
    }
    keeper.events().acked(token);
  };

  // Each callback checks the client: after close() and a new connect(), the old one's news is stale.
  function dial(what: Dial, s: MqttSession | undefined): void {
    if (what === Dial.FORGET) {
      inFlight = 0;
      held = [];
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
      const made = mqtt.Client(s.clientId, s.keepaliveS, s.user, s.password);
      made.lwt(s.willTopic, s.willPayload, 1, 1);
      made.on("offline", (cc: Esp32MqttClient): void => {
        if (cc === client) {
          keeper.dropped();
        }
      });
      made.on("message", (cc: Esp32MqttClient, topic: string, data?: string): void => {
        if (cc === client && keeper.isUp()) {
          keeper.events().message(topic, data === undefined ? "" : data);
        }
      });
      client = made;
    }
    const c = client;
    if (c === undefined) {
      return;
    }
    c.connect(host, port, 0, 0, (cc: Esp32MqttClient): void => {
      if (cc === client) {
        keeper.connected();
      } else {
        // A dial that was under way when close() came (the ESP8266 cannot stop one) came through: hang it up.
        cc.close();
      }
    }, (cc: Esp32MqttClient): void => {
      if (cc === client) {
        keeper.dropped();
      }
    });
  }

  keeper = mqttKeeper(dial, (topic: string, payload: string, qos: number, retain: boolean): number => {
    if (!keeper.isUp() || client === undefined) {
      return 0;
    }
    const m: Held = { topic: topic, payload: payload, qos: qos, retain: retain, token: nextToken };
    nextToken++;
    if (inFlight === 0 && held.length === 0) {
      send(m);
    } else {
      held.push(m);
    }
    return m.token;
  }, (topic: string): void => {
    const c = client;
    if (keeper.isUp() && c !== undefined) {
      // Its result says nothing: dev-esp32 compares the message id with ESP_OK.
      c.subscribe(topic, 1);
    }
  });
  return keeper;
}
