import { generateGate } from "../../sim/gen/gate-gen.ts";
import { GATE_SCENARIO_NAMES } from "../../sim/gen/gate-scenarios.ts";
import { UsageError } from "../usage-error.ts";
import { wholeOption as int, writeOutput as write } from "./gen-output.ts";

export interface GenGateArgs {
  scenario: string;
  seed: string;
  durationS?: string;
  out: string;
  json?: boolean;
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
