/*
 * Issue #6's accuracy target: on a generated suite of at least 300 passages (every scenario of
 * aisle gen gate, two seeds), F1 at least 0.99 under trace-format.md's gate scoring rule, with
 * the same events on every runner.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateGate } from "../sim/gen/gate-gen.ts";
import { GATE_SCENARIO_NAMES } from "../sim/gen/gate-scenarios.ts";
import { allRunners, boardFor, replayTrace, type ReplayEntry } from "../sim/replay.ts";

const SEEDS = [1, 2];

describe("gate accuracy on the generated suite", () => {
  it("finds the passages and alarms at F1 >= 0.99 on every runner, with identical events", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aisle-gate-suite-"));
    const paths: string[] = [];
    let passages = 0;
    for (const seed of SEEDS) {
      for (const name of GATE_SCENARIO_NAMES) {
        const out = generateGate(name, { seed });
        const path = join(dir, `s${seed}-${name}.trace.csv`);
        writeFileSync(path, out.trace);
        writeFileSync(path.replace(".trace.csv", ".truth.jsonl"), out.truth);
        passages += out.passages;
        paths.push(path);
      }
    }
    expect(passages).toBeGreaterThanOrEqual(300);
    const byRunner = new Map<string, ReplayEntry[]>();
    for (const path of paths) {
      for (const e of await replayTrace(path, { runners: allRunners() }, (r) => boardFor(r))) {
        expect(e.firmwareErrors, `${e.runner} ${path}`).toEqual([]);
        byRunner.set(e.runner, [...(byRunner.get(e.runner) ?? []), e]);
      }
    }
    const reference = byRunner.get("source")!;
    for (const [runner, entries] of byRunner) {
      entries.forEach((e, i) => expect(e.payloads, `${runner} ${e.trace}`).toEqual(reference[i].payloads));
      let matched = 0;
      let detected = 0;
      let truth = 0;
      for (const e of entries) {
        detected += e.events.length;
        truth += e.truth!.length;
        matched += Math.round(e.score!.recall * e.truth!.length);
      }
      const precision = matched / detected;
      const recall = matched / truth;
      const f1 = (2 * precision * recall) / (precision + recall);
      console.log(`gate suite, ${runner}: ${paths.length} traces, ${passages} passages, ${truth} truth events, ${detected} detected, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}, F1 ${f1.toFixed(4)}`);
      expect(f1, runner).toBeGreaterThanOrEqual(0.99);
    }
  }, 600_000);
});
