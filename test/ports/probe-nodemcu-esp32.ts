import { nodemcuEsp32GateHal, nodemcuEsp32ShelfHal } from "../../hal/nodemcu-esp32/hal";
import { runProbe } from "./probe";
import { ESP32_PROBE_BOARD } from "./probe-board";

runProbe(nodemcuEsp32ShelfHal(ESP32_PROBE_BOARD), nodemcuEsp32GateHal(ESP32_PROBE_BOARD));
