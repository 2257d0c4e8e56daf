import type { ExternalDevice } from "../espruino/espruino-board.ts";

/** Turns an ordered stream of stimuli (sim/devices/stimuli.ts) into one device of the Espruino board's event loop. */
export function feedDevice<T extends { tUs: number }>(stimuli: Iterator<T>, apply: (s: T) => void): ExternalDevice {
  let cur = stimuli.next();
  return {
    nextUs: () => (cur.done ? Infinity : cur.value.tUs),
    fire: () => {
      const s = cur.value as T;
      cur = stimuli.next();
      apply(s);
    },
  };
}

/** How long a replay runs past the trace's last row, so that what was under way can settle. */
export const REPLAY_TAIL_US = 1_000_000;
