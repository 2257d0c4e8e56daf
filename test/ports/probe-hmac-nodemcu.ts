import { consoleLog } from "../../hal/nodemcu/console";
import { nodemcuFileStore } from "../../hal/nodemcu/file-store";
import { nodemcuHmac } from "../../hal/nodemcu/hmac";
import { runHmacProbe } from "./probe-hmac";

runHmacProbe(nodemcuHmac(), nodemcuFileStore(), consoleLog());
