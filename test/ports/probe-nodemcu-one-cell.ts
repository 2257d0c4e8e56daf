import { nodemcuGateHal, nodemcuShelfHal } from "../../hal/nodemcu/hal";
import { runProbe } from "./probe";
import { ONE_CELL_BOARD } from "./probe-board";

runProbe(nodemcuShelfHal(ONE_CELL_BOARD), nodemcuGateHal(ONE_CELL_BOARD));
