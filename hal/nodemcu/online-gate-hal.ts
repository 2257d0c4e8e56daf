import type { BoardConstants } from "../board";
import type { OnlineGateHal } from "../hal";
import { nodemcuGateIo } from "./gate-io";
import { nodemcuHmac } from "./hmac";
import { nodemcuMqttLink } from "./mqtt-link";
import { nodemcuSystem } from "./system";

export function nodemcuOnlineGateHal(board: BoardConstants): OnlineGateHal {
  const io = nodemcuGateIo(board);
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, store: io.store, link: io.link, log: io.log,
    mqtt: nodemcuMqttLink(), hmac: nodemcuHmac(), system: nodemcuSystem(),
  };
}
