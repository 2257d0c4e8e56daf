import { ConsoleLog } from "../../hal/nodemcu/console";
import { NodeMcuFileStore } from "../../hal/nodemcu/file-store";
import { nodemcuHmac } from "../../hal/nodemcu/hmac";
import { runHmacProbe } from "./probe-hmac";

runHmacProbe(nodemcuHmac(), new NodeMcuFileStore(), new ConsoleLog());
