import { formatInt } from "../../firmware/core/format";
import type { Clock } from "../../hal/clock";
import type { Log } from "../../hal/log";
import type { MqttEvents, MqttLink } from "../../hal/mqtt-link";
import type { Store } from "../../hal/store";

/*
 * A firmware-side probe of MqttLink (test/nodemcu-mqtt.test.ts). It reads its broker from the
 * store ("mqtt.cfg": host port clientId keepaliveS [user password]), connects with the will "offline" on
 * p/ID/status, subscribes to p/ID/cmd on every up, and obeys what comes there:
 *   "pub N"        N QoS 1 publishes to p/ID/out ("m1".."mN"), each token logged
 *   "echo" BYTES   BYTES back on p/ID/echo at QoS 1
 *   "close"        closes the link
 * With a record "mqtt.close" in the store it closes the link right after connect(), while the dial
 * is under way. Every event is a log line, with the board's time where it matters.
 */

const DIGITS = "0123456789abcdef";

function hex(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    const high = Math.floor(b / 16);
    out = out + DIGITS.charAt(high) + DIGITS.charAt(b - high * 16);
  }
  return out;
}

export function runMqttProbe(link: MqttLink, clock: Clock, store: Store, log: Log): void {
  const cfg = (store.read("mqtt.cfg") as string).split(" ");
  const id = cfg[2];
  const base = "p/" + id + "/";
  const publish = (topic: string, payload: string): void => {
    log.info("token " + formatInt(link.publish(base + topic, payload, 1, false)) + " " + topic);
  };
  const events: MqttEvents = {
    up: (): void => {
      log.info("up t=" + formatInt(clock.nowMs()) + " isUp=" + (link.isUp() ? "1" : "0"));
      link.subscribe(base + "cmd");
    },
    down: (): void => {
      log.info("down t=" + formatInt(clock.nowMs()) + " isUp=" + (link.isUp() ? "1" : "0"));
    },
    message: (topic: string, payload: string): void => {
      log.info("msg " + topic + " " + formatInt(payload.length) + " " + hex(payload));
      if (payload.substring(0, 4) === "pub ") {
        const n = Number(payload.substring(4));
        for (let i = 1; i <= n; i++) {
          publish("out", "m" + formatInt(i));
        }
      } else if (payload.substring(0, 4) === "echo") {
        publish("echo", payload.substring(4));
      } else if (payload === "close") {
        link.close();
        log.info("closed isUp=" + (link.isUp() ? "1" : "0") + " publish=" + formatInt(link.publish(base + "out", "late", 1, false)));
      }
    },
    acked: (token: number): void => {
      log.info("acked " + formatInt(token));
    },
  };
  link.connect({
    host: cfg[0],
    port: Number(cfg[1]),
    clientId: id,
    user: cfg.length > 5 ? cfg[4] : "",
    password: cfg.length > 5 ? cfg[5] : "",
    keepaliveS: Number(cfg[3]),
    willTopic: base + "status",
    willPayload: "offline",
  }, events);
  log.info("connecting isUp=" + (link.isUp() ? "1" : "0") + " publish=" + formatInt(link.publish(base + "out", "early", 1, false)));
  if (store.read("mqtt.close") !== undefined) {
    link.close();
    log.info("closed while dialling");
  }
}
