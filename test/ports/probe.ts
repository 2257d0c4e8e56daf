import type { GateHal, ShelfHal } from "../../hal/hal";
import { formatInt } from "../../firmware/core/format";
import { round } from "../../firmware/core/math";

/*
 * A firmware-side probe of the HAL contract: timers, load-cell batches, debounced inputs, outputs
 * and the store, each reported as a line. The same source runs on the Espruino port and the NodeMCU port
 * (test/ports/ports.test.ts), and the lines must agree.
 */

function ms(t: number): string {
  return formatInt(round(t * 1000)) + "us";
}

function watchCell(shelf: ShelfHal, i: number): (cell: number, counts: number[], n: number, tLastMs: number) => void {
  const handler = (cell: number, counts: number[], n: number, tLastMs: number): void => {
    const values: string[] = [];
    for (let k = 0; k < n; k++) {
      values.push(formatInt(counts[k]));
    }
    shelf.log.info("cell " + formatInt(cell) + " n=" + formatInt(n) + " t=" + ms(tLastMs) + " " + values.join(","));
  };
  shelf.cells[i].start(handler);
  return handler;
}

export function runProbe(shelf: ShelfHal, gate: GateHal): void {
  const log = shelf.log;
  const clock = shelf.clock;
  log.info("boot t=" + ms(clock.nowMs()));
  clock.after(250, (): void => {
    log.info("after250 t=" + ms(clock.nowMs()));
  });
  let ticks = 0;
  const every = clock.every(100, (): void => {
    ticks = ticks + 1;
    log.info("tick " + formatInt(ticks) + " t=" + ms(clock.nowMs()));
    if (ticks === 3) {
      clock.cancel(every);
    }
  });
  const cancelled = clock.after(50, (): void => {
    log.info("never");
  });
  clock.cancel(cancelled);

  const store = shelf.store;
  log.info("store missing " + (store.read("probe") === undefined ? "undefined" : "present"));
  log.info("store write " + (store.write("probe", "v1\nline2\ttab") ? "ok" : "refused"));
  log.info("store read " + (store.read("probe") === "v1\nline2\ttab" ? "same" : "different"));
  store.erase("probe");
  log.info("store erased " + (store.read("probe") === undefined ? "undefined" : "present"));

  for (let i = 0; i < shelf.cells.length; i++) {
    watchCell(shelf, i);
  }
  // Cell 0 powers down at 150 ms and wakes at 200 ms: nothing while down, then it settles.
  const cell0 = shelf.cells[0];
  clock.after(150, (): void => cell0.stop());
  clock.after(200, (): void => cell0.start((cell: number, counts: number[], n: number, tLastMs: number): void => {
    log.info("woken cell " + formatInt(cell) + " n=" + formatInt(n) + " t=" + ms(tLastMs) + " first=" + formatInt(counts[0]));
  }));
  // Outputs: the host reports each change of a pin's level ("~out"), so a write of the level a pin has is no line.
  const lane = gate.lanes[0];
  const buzzer = gate.buzzer;
  clock.after(120, (): void => {
    lane.lock.write(true);
    lane.ledGreen.write(false);
    lane.ledRed.write(true);
    buzzer.write(false);
  });
  clock.after(130, (): void => {
    lane.lock.write(false);
    lane.ledGreen.write(true);
    lane.ledRed.write(false);
    buzzer.write(true);
    lane.ledGreen.write(true);
  });
  clock.after(140, (): void => buzzer.write(false));
  const outer = gate.lanes[0].beamOuter;
  log.info("outer initially " + (outer.read() ? "1" : "0"));
  outer.watch((level: boolean, tMs: number): void => {
    log.info("outer " + (level ? "1" : "0") + " edge t=" + ms(tMs) + " seen t=" + ms(clock.nowMs()));
  });
}
