import { join, relative } from "node:path";
import { REPO } from "../paths.ts";
import { boardIds } from "../build/board-file.ts";
import { buildApp, type Footprint } from "../build/build.ts";
import { APPS, type AppName } from "../build/entry.ts";
import { UsageError } from "../usage-error.ts";

export interface BuildArgs {
  board?: string;
  app?: string;
  out?: string;
  all?: boolean;
  json?: boolean;
  link?: string;
}

/** aisle build: one board and app, or every board and app with --all. */
export async function buildCommand(args: BuildArgs): Promise<number> {
  let jobs: [string, AppName][];
  if (args.all) {
    if (args.out) throw new UsageError("--out names one bundle's folder; it cannot go with --all");
    jobs = boardIds().flatMap((b) => APPS.map((a) => [b, a] as [string, AppName]));
  } else {
    if (!args.board || !args.app) throw new UsageError("give --board B and --app shelf|gate, or --all");
    if (!APPS.includes(args.app as AppName)) throw new UsageError(`--app must be shelf or gate, not ${JSON.stringify(args.app)}`);
    jobs = [[args.board, args.app as AppName]];
  }
  const link = args.link ?? "serial";
  if (link !== "serial" && link !== "mqtt") throw new UsageError(`--link must be serial or mqtt, not ${JSON.stringify(link)}`);
  const footprints: (Footprint & { dir: string })[] = [];
  for (const [board, app] of jobs) {
    const out = await buildApp(board, app, args.out ?? (link === "mqtt" ? join(REPO, "build", board, `${app}-mqtt`) : undefined), link === "mqtt" ? { link } : {});
    footprints.push({ ...out.footprint, dir: relative(process.cwd(), out.dir) || "." });
    if (!args.json) {
      const files = Object.entries(out.footprint.files).map(([n, b]) => `${n} ${b} B`).join(", ");
      const fp = out.footprint;
      const heap = fp.lua_heap_after_boot_bytes;
      const jsvars = fp.jsvars_after_boot !== undefined ? `, ${fp.jsvars_after_boot} JsVars after boot of ${fp.budget.jsvars_after_boot ?? "no"} budget`
        : heap !== undefined ? `, Lua heap after boot ${heap["lua5.1"] !== undefined ? `${heap["lua5.1"]} B (lua5.1, ${fp.lua51_bits}-bit) and ` : ""}${heap["lua5.3"]} B (lua5.3) of ${fp.budget.lua_heap_after_boot_bytes ?? "no"} budget` : "";
      process.stdout.write(`${board}/${app}${link === "mqtt" ? " (mqtt)" : ""}: ${out.footprint.bundle_bytes} bytes (${files}) of ${out.footprint.budget.bundle_bytes} budget${jsvars} -> ${relative(process.cwd(), out.dir) || "."}/\n`);
    }
  }
  if (args.json) process.stdout.write(JSON.stringify(footprints.length === 1 ? footprints[0] : footprints, null, 2) + "\n");
  return 0;
}
