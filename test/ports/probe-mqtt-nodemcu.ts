import { NodeMcuClock } from "../../hal/nodemcu/clock";
import { ConsoleLog } from "../../hal/nodemcu/console";
import { NodeMcuFileStore } from "../../hal/nodemcu/file-store";
import { NodeMcuMqttLink } from "../../hal/nodemcu/mqtt-link";
import { runMqttProbe } from "./mqtt-probe";

runMqttProbe(new NodeMcuMqttLink(), new NodeMcuClock(), new NodeMcuFileStore(), new ConsoleLog());
