import type { BoardConstants } from "../../hal/board.ts";

/*
 * What a gate drives, as every runner records it: each lane's lock and lights, and the buzzer,
 * "T_MS NAME LEVEL" at each change of level the firmware wrote ("2500 G1.lock 0"). The runners
 * compare these line for line, as they compare the payloads (docs/gate.md, "Signals").
 */

export interface GateOutputPin {
  pin: number;
  /** "G1.lock", "G1.green", "G1.red", "buzzer". */
  name: string;
}

export function gateOutputPins(board: BoardConstants): GateOutputPin[] {
  const pins: GateOutputPin[] = [];
  board.gateLanes.forEach((l, i) => {
    pins.push({ pin: l.lock, name: `G${i + 1}.lock` }, { pin: l.ledGreen, name: `G${i + 1}.green` }, { pin: l.ledRed, name: `G${i + 1}.red` });
  });
  pins.push({ pin: board.buzzer, name: "buzzer" });
  return pins;
}

/** Records the changes of the gate's outputs; writes of the level a pin already has are not changes. */
export class GateOutputRecorder {
  readonly lines: string[] = [];
  private readonly levels = new Map<number, number>();
  private readonly names = new Map<number, string>();

  constructor(pins: GateOutputPin[]) {
    for (const p of pins) this.names.set(p.pin, p.name);
  }

  wrote(pin: number, level: number, tUs: number): void {
    const name = this.names.get(pin);
    if (name === undefined || this.levels.get(pin) === level) return;
    this.levels.set(pin, level);
    this.lines.push(`${tUs / 1000} ${name} ${level}`);
  }
}
