import { espruinoGateHal, espruinoShelfHal } from "../../hal/espruino/hal";
import { runProbe } from "./probe";
import { PROBE_BOARD } from "./probe-board";

runProbe(espruinoShelfHal(PROBE_BOARD), espruinoGateHal(PROBE_BOARD));
