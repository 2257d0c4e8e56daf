import { checkGateCell, type Fail } from "./csv-rules.ts";
import type { TraceHeader } from "./trace-meta.ts";
import type { GateChange, GateTrace } from "./trace-types.ts";

/**
 * Builds a GateTrace from data rows, whichever form they were read from. Held signals become
 * changes (the first row sets their initial values); admit cells are events.
 */
export class GateBuilder {
  readonly trace: GateTrace;
  private readonly values: number[];
  private first = true;

  constructor(file: string, private readonly header: TraceHeader) {
    const columns = header.gateColumns!;
    this.trace = {
      kind: "gate", file, meta: header.meta, device: header.device, lanes: header.gateLanes!, columns,
      initial: columns.map(() => 0), changes: [], sampleCount: 0, endUs: 0,
    };
    this.values = columns.map(() => 0);
  }

  /** cells[0] is t_ms; the others are trimmed, one per gate column. */
  row(cells: readonly string[], tUs: number, fail: Fail): void {
    const trace = this.trace;
    const changes: GateChange[] = [];
    for (let c = 1; c < cells.length; c++) {
      const text = cells[c];
      const admit = trace.columns[c - 1].signal === "admit";
      checkGateCell(text, this.header.columns[c], admit, fail);
      if (text === "") continue;
      if (admit) {
        changes.push({ tUs, column: c - 1, value: text });
        continue;
      }
      const v = Number(text);
      if (this.first) trace.initial[c - 1] = v;
      else if (v !== this.values[c - 1]) changes.push({ tUs, column: c - 1, value: v });
      this.values[c - 1] = v;
    }
    this.first = false;
    for (const ch of changes) trace.changes.push(ch);
    trace.sampleCount += changes.length;
    trace.endUs = tUs;
  }
}
