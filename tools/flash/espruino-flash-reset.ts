/*
 * The reset step of an Espruino flash: the switch-over, a look at the board once the new app has
 * booted, then a power cycle (E.reboot()) and another look. "Booted" means: Storage holds the app
 * with the installer's version and no marker, and nothing the board printed since the restart is
 * an uncaught exception or the guard's complaint. An app that throws as it boots is marked
 * unflashed, so that the guard erases it rather than let it run.
 *
 * A console over Telnet goes down with the reboot: the flash reconnects, as it would to a real
 * ESP32 once it is back on Wi-Fi, and then only Storage can be looked at.
 */
import { FlashError, type FlashProgress } from "./flash-types.ts";
import { MARK_UNFLASHED_CODE, STATUS_EXPRESSION, switchCode, type BoardStatus } from "./espruino-flash-code.ts";
import type { EspruinoToolsSession } from "./espruino-tools-session.ts";

export interface ResetOptions {
  file: string;
  /** The installer's version, or undefined when the bundle is the app itself. */
  version: string | undefined;
  bootWatchMs: number;
  reboot: boolean;
  reconnectMs: number;
  progress: FlashProgress;
  redact: (text: string) => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The lines a console carried, without its prompts, line erasures, the flash's own tokens and
 * answers: what the board's code printed.
 */
export function consoleLines(text: string): string[] {
  return text.split(/\r?\n/)
    .map((l) => l.replace(/^(?:\r|\x1B\[J|\x1B\[\?7l|>)*/, "").replace(/\r/g, ""))
    .filter((l) => l !== "" && !/^aisle:written:\d+$/.test(l) && !/^< << .* >> >$/.test(l));
}

/** Switches over, restarts and checks; returns what the board printed as it booted. */
export async function resetAndCheck(s: EspruinoToolsSession, o: ResetOptions): Promise<string[]> {
  o.progress("reset", 0, o.reboot ? 2 : 1);
  let from = s.received.length;
  // Sent bare, with no token line after it: load() resets the interpreter, which drops what the
  // console receives meanwhile, so a token's line can arrive cut ("t(...)" for "print(...)": seen
  // on the real Espruino 2v29) and read as the app failing. The status check below confirms it ran.
  s.send(switchCode(o.version !== undefined) + "\n");
  await sleep(o.bootWatchMs);
  let output = s.received.slice(from);
  await check(s, o, output, true);
  o.progress("reset", 1, o.reboot ? 2 : 1);
  if (!o.reboot) return consoleLines(o.redact(output));
  from = s.received.length;
  s.send("E.reboot()\n");
  // A Telnet console goes down with the board's Wi-Fi; a UART stays.
  if (s.env.CONSOLE === "Telnet" && (await s.waitForClose(5000))) {
    await reconnect(s, o);
    output += s.received.slice(from);
    await check(s, o, "", false);
  } else {
    await sleep(o.bootWatchMs);
    output += s.received.slice(from);
    await check(s, o, s.received.slice(from), false);
  }
  o.progress("reset", 2, 2);
  return consoleLines(o.redact(output));
}

async function reconnect(s: EspruinoToolsSession, o: ResetOptions): Promise<void> {
  const end = Date.now() + o.reconnectMs;
  let last = "";
  while (Date.now() < end) {
    try {
      await s.open();
      return;
    } catch (e) {
      last = (e as Error).message;
      await s.close();
      await sleep(500);
    }
  }
  throw new FlashError("reset", o.file, "unknown", `the board did not come back within ${o.reconnectMs} ms of E.reboot(): ${last}`);
}

async function check(s: EspruinoToolsSession, o: ResetOptions, output: string, firstBoot: boolean): Promise<void> {
  const when = firstBoot ? "after the switch-over" : "after E.reboot()";
  let status: BoardStatus | undefined;
  try {
    status = (await s.expression(STATUS_EXPRESSION)) as BoardStatus | undefined;
  } catch (e) {
    throw new FlashError("reset", o.file, "unknown", `${when}, ${(e as Error).message}`);
  }
  if (status === undefined || typeof status !== "object") throw new FlashError("reset", o.file, "unknown", `${when}, the board did not answer`);
  if (status.unflashed) throw new FlashError("reset", o.file, "unflashed", `${when}, the switch-over had not finished`);
  if (!status.app) throw new FlashError("reset", o.file, "unknown", `${when}, Storage holds no .bootcde`);
  if (o.version !== undefined && status.version !== o.version) {
    throw new FlashError("reset", o.file, "unknown", `${when}, Storage holds version ${String(status.version)} where ${o.version} was flashed`);
  }
  const failed = consoleLines(output).find((l) => l.startsWith("Uncaught ") || l.startsWith("E aisle: unflashed"));
  if (failed !== undefined) {
    await s.write(MARK_UNFLASHED_CODE + "\n").catch(() => {});
    throw new FlashError("reset", o.file, "unflashed", `${when}, the app failed as it booted: ${o.redact(failed)}`);
  }
}
