import { EspruinoMqttLink } from "../../hal/espruino/mqtt-client";
import type { MqttEvents } from "../../hal/mqtt-link";

/*
 * The Espruino link's QoS 0 side (test/espruino-mqtt.test.ts): no will, no user; on every up it
 * publishes "q0" and bytes 0 and 255 on q/ID, retained at QoS 0, prints the token, and subscribes
 * to q/ID/in, whose messages it prints, except "boom", on which it throws.
 * "mqtt.cfg" is "host port clientId keepaliveS".
 */
const cfg = (require("Storage").read("mqtt.cfg") as string).split(" ");
const link = new EspruinoMqttLink();
const events: MqttEvents = {
  up: (): void => {
    print("up token " + String(link.publish("q/" + cfg[2], "q0\x00\xff", 0, true)));
    link.subscribe("q/" + cfg[2] + "/in");
  },
  down: (): void => {
    print("down");
  },
  message: (topic: string, payload: string): void => {
    if (payload === "boom") throw new Error("boom");
    print("msg " + payload);
  },
  acked: (token: number): void => {
    print("acked " + String(token));
  },
};
link.connect({ host: cfg[0], port: Number(cfg[1]), clientId: cfg[2], user: "", password: "", keepaliveS: Number(cfg[3]), willTopic: "", willPayload: "" }, events);
