import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { convertTrace } from "../../sim/trace/convert-trace.ts";
import { UsageError } from "../usage-error.ts";

const FORMS = [".trace.csv", ".trace.bin"];

function checkName(role: string, path: string): void {
  if (!FORMS.some((f) => path.endsWith(f) && path.length > f.length)) {
    throw new UsageError(`the ${role} must be NAME.trace.csv (CSV) or NAME.trace.bin (binary): the suffix picks the form, and ${JSON.stringify(path)} has neither`);
  }
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  if (!existsSync(b)) return false;
  const [x, y] = [statSync(a), statSync(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

/**
 * aisle trace convert IN OUT: a trace from one form to the other (or the same form, normalised),
 * losslessly, in constant memory; OUT appears whole or not at all.
 */
export async function traceConvertCommand(input: string, output: string): Promise<number> {
  checkName("input", input);
  checkName("output", output);
  if (!existsSync(input)) throw new UsageError(`no such trace: ${input}`);
  if (sameFile(input, output)) throw new UsageError(`the output ${output} is the input: convert into another file`);
  const r = convertTrace(input, output);
  process.stdout.write(`${output}: ${r.kind} trace, ${r.rows.toLocaleString("en")} rows, ${r.samples.toLocaleString("en")} samples\n`);
  return 0;
}
