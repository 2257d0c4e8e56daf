/*
 * aisle vboard: a virtual board to flash, for trying `aisle flash` without hardware. An Espruino
 * board waits on a loopback TCP console (sim/flash/espruino-repl-server.ts), a NodeMCU one on a
 * pseudo-terminal (sim/flash/nodemcu-repl-pty.ts, its path linked where --link says); whatever is
 * flashed then runs there, on its MQTT broker when it is the MQTT build. Runs until Ctrl-C.
 */
import { resolve } from "node:path";
import { loadBoard } from "../build/board-file.ts";
import { UsageError } from "../usage-error.ts";

export interface VboardArgs {
  board: string;
  port?: string;
  link?: string;
}

export async function vboardCommand(args: VboardArgs): Promise<number> {
  const board = loadBoard(args.board);
  let where: string;
  let stop: () => Promise<void>;
  if (board.platform === "espruino") {
    const port = args.port === undefined ? 0 : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a TCP port (0-65535), not ${JSON.stringify(args.port)}`);
    const { EspruinoReplServer } = await import("../../sim/flash/espruino-repl-server.ts");
    const server = await EspruinoReplServer.start({ board: board.id, port, onLine: (l) => process.stdout.write(`[${board.id}] ${l}\n`) });
    where = server.url;
    stop = () => server.close();
  } else {
    if (args.port !== undefined) throw new UsageError("--port is for an Espruino board's TCP console; a NodeMCU board's console is a pty (--link PATH names it)");
    const { NodemcuReplPty } = await import("../../sim/flash/nodemcu-repl-pty.ts");
    const link = resolve(args.link ?? `.aisle/tty-${board.id}`);
    const pty = await NodemcuReplPty.start({ board: board.id, link });
    where = pty.path;
    stop = () => pty.stop();
  }
  process.stdout.write(`${board.id}: a virtual board waits on ${where}\nflash it:  npx aisle flash --board ${board.id} --app shelf --port ${where} [--device-config FILE]\nCtrl-C stops it\n`);
  await new Promise<void>((done) => process.once("SIGINT", () => done()));
  await stop();
  return 0;
}
