import { nodemcuClock } from "../../hal/nodemcu/clock";
import { consoleLog } from "../../hal/nodemcu/console";
import { nodemcuFileStore } from "../../hal/nodemcu/file-store";
import { NodeMcuMqttLink } from "../../hal/nodemcu/mqtt-link";
import { runMqttProbe } from "./mqtt-probe";

runMqttProbe(new NodeMcuMqttLink(), nodemcuClock(), nodemcuFileStore(), consoleLog());
