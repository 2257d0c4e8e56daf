import { existsSync, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import { UsageError } from "../usage-error.ts";

const TRACE_FILES = ["**/*.trace.csv", "**/*.trace.bin"];

function isTraceFile(path: string): boolean {
  return path.endsWith(".trace.csv") || path.endsWith(".trace.bin");
}

/**
 * The traces that replay arguments name: files as they are, folders searched for
 * NAME.trace.csv and NAME.trace.bin at any depth, and glob patterns. Sorted and without
 * repeats, so that results come in the same order however the shell or the file system
 * listed them. An argument that names nothing is a usage error.
 */
export function expandTraceArgs(args: string[]): string[] {
  const found = new Set<string>();
  for (const arg of args) {
    if (existsSync(arg) && statSync(arg).isDirectory()) {
      const inside = globSync(TRACE_FILES, { cwd: arg, absolute: false }).map((p) => `${arg.replace(/\/+$/, "")}/${p}`);
      if (inside.length === 0) throw new UsageError(`${arg} holds no traces (NAME.trace.csv or NAME.trace.bin)`);
      inside.forEach((p) => found.add(p));
    } else if (existsSync(arg)) {
      found.add(arg);
    } else if (isDynamicPattern(arg)) {
      // Paths come back as the pattern was written: absolute for an absolute pattern.
      const matched = globSync(arg, { absolute: isAbsolute(arg) }).filter(isTraceFile);
      if (matched.length === 0) throw new UsageError(`no traces match ${arg}`);
      matched.forEach((p) => found.add(p));
    } else {
      throw new UsageError(`no such trace: ${arg}`);
    }
  }
  return [...found].sort();
}
