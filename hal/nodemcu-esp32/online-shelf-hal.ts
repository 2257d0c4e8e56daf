import type { BoardConstants } from "../board";
import type { OnlineShelfHal } from "../hal";
import { nodemcuHmac } from "../nodemcu/hmac";
import { nodemcuSystem } from "../nodemcu/system";
import { esp32MqttLink } from "./mqtt-link";
import { nodemcuEsp32ShelfHal } from "./shelf-hal";

export function nodemcuEsp32OnlineShelfHal(board: BoardConstants): OnlineShelfHal {
  const hal = nodemcuEsp32ShelfHal(board);
  return {
    clock: hal.clock, cells: hal.cells, store: hal.store, link: hal.link, log: hal.log,
    mqtt: esp32MqttLink(), hmac: nodemcuHmac(), system: nodemcuSystem(),
  };
}
