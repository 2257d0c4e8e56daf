import type { BoardConstants } from "../board";
import type { OnlineShelfHal } from "../hal";
import { espruinoShelfHal } from "./hal";
import { espruinoHmac } from "./hmac";
import { EspruinoMqttLink } from "./mqtt-client";
import { EspruinoSystem } from "./system";

export function espruinoOnlineShelfHal(board: BoardConstants): OnlineShelfHal {
  const hal = espruinoShelfHal(board);
  return {
    clock: hal.clock, cells: hal.cells, store: hal.store, link: hal.link, log: hal.log,
    mqtt: new EspruinoMqttLink(), hmac: espruinoHmac(), system: new EspruinoSystem(),
  };
}
