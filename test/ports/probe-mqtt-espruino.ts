import { EspruinoClock } from "../../hal/espruino/clock";
import { ConsoleLog } from "../../hal/espruino/console";
import { EspruinoMqttLink } from "../../hal/espruino/mqtt-client";
import { EspruinoStore } from "../../hal/espruino/storage";
import { runMqttProbe } from "./mqtt-probe";

runMqttProbe(new EspruinoMqttLink(), new EspruinoClock(), new EspruinoStore(), new ConsoleLog());
