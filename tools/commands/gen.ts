import { Random } from "../../sim/gen/random.ts";
import { SCENARIO_NAMES, buildScene } from "../../sim/gen/shelf-scenarios.ts";
import { renderShelf } from "../../sim/gen/shelf-render.ts";
import { UsageError } from "../usage-error.ts";
import { wholeOption as int, writeOutput } from "./gen-output.ts";

export interface GenArgs {
  scenario: string;
  seed: string;
  rate: string;
  durationS?: string;
  out: string;
  json?: boolean;
}

/**
 * aisle gen shelf: writes PREFIX.trace.csv and PREFIX.truth.jsonl (PREFIX-SCENARIO.* for all).
 * Every scenario is generated before anything is written, so a bad argument writes nothing.
 */
export function genShelfCommand(args: GenArgs): number {
  const names = args.scenario === "all" ? SCENARIO_NAMES : [args.scenario];
  if (!SCENARIO_NAMES.includes(names[0])) throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(", ")} or all, not ${JSON.stringify(args.scenario)}`);
  const seed = int("--seed", args.seed, 0, 2 ** 31 - 1);
  const rate = int("--rate", args.rate, 1, 1000);
  if (rate !== 10 && rate !== 80) throw new UsageError(`--rate must be 10 or 80 (the HX711's two rates), not ${rate}`);
  const durationS = args.durationS === undefined ? undefined : int("--duration-s", args.durationS, 20, 24 * 3600);
  const outputs = names.map((name) => ({ name, prefix: names.length === 1 ? args.out : `${args.out}-${name}`, out: renderShelf(buildScene(name, { seed, rateHz: rate, durationS }), new Random(seed + 1)) }));
  const written = outputs.map(({ name, prefix, out }) => {
    writeOutput(`${prefix}.trace.csv`, out.trace);
    writeOutput(`${prefix}.truth.jsonl`, out.truth);
    return { scenario: name, trace: `${prefix}.trace.csv`, truth: `${prefix}.truth.jsonl`, events: out.events };
  });
  if (args.json) process.stdout.write(JSON.stringify(written) + "\n");
  else for (const w of written) process.stdout.write(`${w.trace}: ${w.scenario}, ${w.events} events\n`);
  return 0;
}
