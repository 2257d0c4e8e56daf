import { Esp32Clock } from "../../hal/nodemcu-esp32/clock";
import { Esp32IoStore } from "../../hal/nodemcu-esp32/io-store";
import { esp32MqttLink } from "../../hal/nodemcu-esp32/mqtt-link";
import { consoleLog } from "../../hal/nodemcu/console";
import { runMqttProbe } from "./mqtt-probe";

runMqttProbe(esp32MqttLink(), new Esp32Clock(), new Esp32IoStore(), consoleLog());
