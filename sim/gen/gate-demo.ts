import type { TruthEvent } from "../trace/truth.ts";
import { Random } from "./random.ts";
import { gateTruthText, traceText } from "./trace-writer.ts";

/**
 * The bundled gate demo: one lane, people walking in after an admission and out again. A body
 * breaks the outer beam, then the inner one, then clears them in the same order.
 */
export function gateDemo(seed: number, passages = 12): { trace: string; truth: string } {
  const rnd = new Random(seed);
  const columns = ["G1.beam_outer", "G1.beam_inner", "G1.door_closed", "G1.admit", "emergency"];
  const rows: (string | number)[][] = [[0, 0, 0, 1, "", 0]];
  const truth: TruthEvent[] = [];
  let t = 1000;
  const row = (tMs: number, col: number, v: string | number) => {
    const r: (string | number)[] = [Math.round(tMs), "", "", "", "", ""];
    r[col + 1] = v;
    rows.push(r);
  };
  for (let i = 0; i < passages; i++) {
    const entry = rnd.next() < 0.6;
    const [first, second] = entry ? [0, 1] : [1, 0];
    if (entry) row(t, 3, `tok-${seed}-${i}`);
    t += rnd.between(300, 700);
    row(t, 2, 0);
    const a = t + rnd.between(200, 500);
    const gap = rnd.between(250, 450);
    const body = gap + rnd.between(150, 450);
    row(a, first, 1);
    row(a + gap, second, 1);
    row(a + body, first, 0);
    row(a + gap + body, second, 0);
    truth.push({ type: entry ? "entry" : "exit", lane: "G1", tStartMs: Math.round(a + gap + body), tEndMs: Math.round(a + gap + body) });
    t = a + gap + body + rnd.between(600, 1200);
    row(t, 2, 1);
    t += rnd.between(800, 2500);
  }
  const [start, ...changes] = rows;
  changes.sort((x, y) => (x[0] as number) - (y[0] as number));
  rows.splice(0, rows.length, start, ...changes);
  const meta = { kind: "gate", device: "gate-demo", source: `aisle demo generator, seed ${seed}` };
  return { trace: traceText(meta, columns, rows), truth: gateTruthText(truth) };
}
