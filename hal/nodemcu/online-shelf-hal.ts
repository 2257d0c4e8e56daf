import type { BoardConstants } from "../board";
import type { OnlineShelfHal } from "../hal";
import { nodemcuHmac } from "./hmac";
import { nodemcuMqttLink } from "./mqtt-link";
import { nodemcuShelfHal } from "./shelf-hal";
import { nodemcuSystem } from "./system";

export function nodemcuOnlineShelfHal(board: BoardConstants): OnlineShelfHal {
  const hal = nodemcuShelfHal(board);
  return {
    clock: hal.clock, cells: hal.cells, store: hal.store, link: hal.link, log: hal.log,
    mqtt: nodemcuMqttLink(), hmac: nodemcuHmac(), system: nodemcuSystem(),
  };
}
