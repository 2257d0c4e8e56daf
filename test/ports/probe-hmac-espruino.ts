import { ConsoleLog } from "../../hal/espruino/console";
import { espruinoHmac, espruinoSha256 } from "../../hal/espruino/hmac";
import { sha256 } from "../../hal/espruino/sha256";
import { EspruinoStore } from "../../hal/espruino/storage";
import { runHmacProbe } from "./probe-hmac";

const log = new ConsoleLog();
log.info("sha256 " + (espruinoSha256() === sha256 ? "portable" : "native"));
runHmacProbe(espruinoHmac(), new EspruinoStore(), log);
