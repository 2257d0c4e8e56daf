import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generateGate } from "../../sim/gen/gate-gen.ts";
import { GATE_SCENARIO_NAMES } from "../../sim/gen/gate-scenarios.ts";
import { UsageError } from "../usage-error.ts";

export interface GenGateArgs {
  scenario: string;
  seed: string;
  durationS?: string;
  out: string;
  json?: boolean;
}

function int(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return n;
}

/** Writes a file, or says which file could not be written and why, as a usage error: --out was wrong. */
function write(file: string, text: string): void {
  try {
    mkdirSync(dirname(file) || ".", { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`--out: cannot write ${file} (${err.code ?? err.message})`);
  }
}

/**
 * aisle gen gate: writes PREFIX.trace.csv and PREFIX.truth.jsonl (PREFIX-SCENARIO.* for all).
 * Every scenario is generated before anything is written, so a bad argument writes nothing.
 */
export function genGateCommand(args: GenGateArgs): number {
  const names = args.scenario === "all" ? GATE_SCENARIO_NAMES : [args.scenario];
  if (!GATE_SCENARIO_NAMES.includes(names[0])) throw new UsageError(`--scenario must be one of ${GATE_SCENARIO_NAMES.join(", ")} or all, not ${JSON.stringify(args.scenario)}`);
  const seed = int("--seed", args.seed, 0, 2 ** 31 - 1);
  const durationS = args.durationS === undefined ? undefined : int("--duration-s", args.durationS, 90, 24 * 3600);
  const outputs = names.map((name) => ({ name, prefix: names.length === 1 ? args.out : `${args.out}-${name}`, out: generateGate(name, { seed, durationS }) }));
  const written = outputs.map(({ name, prefix, out }) => {
    write(`${prefix}.trace.csv`, out.trace);
    write(`${prefix}.truth.jsonl`, out.truth);
    return { scenario: name, trace: `${prefix}.trace.csv`, truth: `${prefix}.truth.jsonl`, events: out.events, passages: out.passages };
  });
  if (args.json) process.stdout.write(JSON.stringify(written) + "\n");
  else {
    for (const w of written) process.stdout.write(`${w.trace}: ${w.scenario}, ${w.passages} passages, ${w.events} events\n`);
    if (written.length > 1) process.stdout.write(`${written.reduce((a, w) => a + w.passages, 0)} passages in all\n`);
  }
  return 0;
}
