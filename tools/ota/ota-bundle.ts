/*
 * The bytes an update sends (docs/ota.md): what the device runs, as its second slot will hold it.
 * NodeMCU: the Lua bundle, aisle-APP.lua. Espruino: the app the installer stores as .bootcde
 * (pretokenised), not the installer: it is taken out of the installer (`aisle build`'s .js, its
 * heatshrink-packed pieces unpacked at their offsets), or read as it is from a file that is not one.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadBoard, type BoardFile } from "../build/board-file.ts";
import { bundleFileName, compileApp } from "../build/build.ts";
import type { AppName } from "../build/entry.ts";
import { UsageError } from "../usage-error.ts";

export interface OtaBundle {
  board: BoardFile;
  app: AppName;
  bytes: Buffer;
  /** Where it came from, for messages. */
  from: string;
}

const PIECE = /S\$\.write\("\.bootcde",H\$\.decompress\(atob\("([A-Za-z0-9+/=]*)"\)\),(\d+)(?:,(\d+))?\);/g;

/** The app an Espruino installer stores as .bootcde; undefined when the text is not an installer. */
export function appOfInstaller(installer: string): Buffer | undefined {
  if (!installer.startsWith("var S$=require(\"Storage\")")) return undefined;
  const hs = createRequire(import.meta.url)("espruino/libs/heatshrink.js") as { decompress(d: Uint8Array): Uint8Array };
  let out: Buffer | undefined;
  for (const m of installer.matchAll(PIECE)) {
    const piece = Buffer.from(hs.decompress(new Uint8Array(Buffer.from(m[1], "base64"))));
    const at = Number(m[2]);
    if (m[3] !== undefined) out = Buffer.alloc(Number(m[3]));
    if (out === undefined || at + piece.length > out.length) throw new UsageError("the installer's pieces do not make one app (is it an aisle build?)");
    piece.copy(out, at);
  }
  return out;
}

/** The bundle for an app on a board: from --bundle FILE when given, else built now (aisle build --link mqtt). */
export async function otaBundle(boardId: string, app: AppName, file?: string): Promise<OtaBundle> {
  const board = loadBoard(boardId);
  if (file !== undefined) {
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (e) {
      throw new UsageError(`--bundle ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    if (raw.length === 0) throw new UsageError(`--bundle ${file}: the file is empty`);
    if (board.platform === "nodemcu" && /^-- aisle[ :]/.test(raw.toString("latin1"))) {
      throw new UsageError(`--bundle ${file}: that is init.lua; the bundle is ${bundleFileName(board, app)}`);
    }
    const bytes = board.platform === "espruino" ? appOfInstaller(raw.toString("latin1")) ?? raw : raw;
    return { board, app, bytes, from: file };
  }
  const built = await compileApp(board.id, app, { link: "mqtt" });
  const text = built.files[bundleFileName(board, app)];
  const bytes = board.platform === "espruino" ? appOfInstaller(text) : Buffer.from(text, "utf8");
  if (bytes === undefined) throw new Error("aisle build made an installer this tool cannot read");
  return { board, app, bytes, from: `aisle build --board ${board.id} --app ${app} --link mqtt` };
}
