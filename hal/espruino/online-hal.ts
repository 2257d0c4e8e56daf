import type { BoardConstants } from "../board";
import type { BundleSlot } from "../bundle-slot";
import type { OnlineGateHal, OnlineShelfHal } from "../hal";
import { espruinoBundleSlot } from "./bundle-slot";
import { espruinoGateIo, espruinoShelfHal } from "./hal";
import { espruinoHmac } from "./hmac";
import { EspruinoMqttLink } from "./mqtt-client";
import { EspruinoSystem } from "./system";

/* A closure of the target alone: one made in the functions below would keep their whole scope. */
function slotOf(target: string): () => BundleSlot {
  return (): BundleSlot => espruinoBundleSlot(target);
}

export function espruinoOnlineShelfHal(board: BoardConstants): OnlineShelfHal {
  const hal = espruinoShelfHal(board);
  return {
    clock: hal.clock, cells: hal.cells, store: hal.store, link: hal.link, log: hal.log,
    mqtt: new EspruinoMqttLink(), hmac: espruinoHmac(), system: new EspruinoSystem(), slot: slotOf(board.id + "/shelf"),
  };
}

export function espruinoOnlineGateHal(board: BoardConstants): OnlineGateHal {
  const io = espruinoGateIo(board);
  return {
    clock: io.clock, lanes: io.lanes, emergency: io.emergency, buzzer: io.buzzer, store: io.store, link: io.link, log: io.log,
    mqtt: new EspruinoMqttLink(), hmac: espruinoHmac(), system: new EspruinoSystem(), slot: slotOf(board.id + "/gate"),
  };
}
