import { consoleLog } from "../../hal/nodemcu/console";
import { nodemcuHmac } from "../../hal/nodemcu/hmac";
import { Esp32IoStore } from "../../hal/nodemcu-esp32/io-store";
import { runHmacProbe } from "./probe-hmac";

runHmacProbe(nodemcuHmac(), new Esp32IoStore(), consoleLog());
