import { nodemcuGateHal, nodemcuShelfHal } from "../../hal/nodemcu/hal";
import { runProbe } from "./probe";
import { PROBE_BOARD } from "./probe-board";

runProbe(nodemcuShelfHal(PROBE_BOARD), nodemcuGateHal(PROBE_BOARD));
