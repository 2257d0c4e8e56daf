import { boardIds, loadBoard } from "../build/board-file.ts";

export function boardsCommand(opts: { json?: boolean }): number {
  const boards = boardIds().map(loadBoard);
  if (opts.json) {
    process.stdout.write(JSON.stringify(boards, null, 2) + "\n");
    return 0;
  }
  for (const b of boards) {
    const memory = b.platform === "espruino" ? `${b.memory.jsvars} JsVars` : `Lua ${b.lua}, ${b.memory.lua_heap_bytes} B heap`;
    process.stdout.write(`${b.id.padEnd(18)} ${b.platform.padEnd(9)} ${b.mcu.padEnd(8)} ${memory.padEnd(24)} ${b.shelf.cells.length} cells, ${b.gate.lanes.length} gate lane(s), bundle ≤ ${b.budget.bundle_bytes} B  ${b.name}\n`);
  }
  return 0;
}
