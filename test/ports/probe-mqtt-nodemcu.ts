import { nodemcuClock } from "../../hal/nodemcu/clock";
import { consoleLog } from "../../hal/nodemcu/console";
import { nodemcuFileStore } from "../../hal/nodemcu/file-store";
import { nodemcuMqttLink } from "../../hal/nodemcu/mqtt-link";
import { runMqttProbe } from "./mqtt-probe";

runMqttProbe(nodemcuMqttLink(), nodemcuClock(), nodemcuFileStore(), consoleLog());
