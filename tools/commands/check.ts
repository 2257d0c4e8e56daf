import { join } from "node:path";
import { boardConstants, loadBoard } from "../build/board-file.ts";
import { APPS, type AppName, type LinkName, writeEntry } from "../build/entry.ts";
import { checkDialect, formatProblem } from "../dialect/check.ts";

const PLATFORMS = [["espruino", "espruino-esp32"], ["nodemcu", "nodemcu-esp8266"], ["nodemcu-esp32", "nodemcu-esp32"]] as const;

/** Checks both apps, serial and on MQTT, through every port: everything the build would check, for every platform. */
export async function checkCommand(): Promise<number> {
  let bad = 0;
  const builds: [AppName, LinkName][] = [...APPS.map((a): [AppName, LinkName] => [a, "serial"]), ...APPS.map((a): [AppName, LinkName] => [a, "mqtt"])];
  for (const [platform, board] of PLATFORMS) {
    for (const [app, link] of builds) {
      const name = `${app}${link === "mqtt" ? "-mqtt" : ""}`;
      const entry = writeEntry(platform, app, boardConstants(loadBoard(board)), join(`check-${platform}-${name}`), link);
      const problems = await checkDialect([entry], platform);
      bad += problems.length;
      process.stdout.write(`${platform}/${name}: ${problems.length ? `${problems.length} problem(s)` : "in the dialect"}\n`);
      for (const p of problems) process.stdout.write(formatProblem(p) + "\n");
    }
  }
  return bad ? 1 : 0;
}
