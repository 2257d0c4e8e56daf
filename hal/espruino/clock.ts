import type { Clock } from "../clock";
import { round } from "../../firmware/core/math";

/** Milliseconds since the port started, at 1 µs resolution so every port and the sim agree on the same double. */
export function espruinoMs(timeS: number, bootS: number): number {
  return round((timeS - bootS) * 1000000) / 1000;
}

export class EspruinoClock implements Clock {
  readonly bootS = getTime();

  nowMs(): number {
    return espruinoMs(getTime(), this.bootS);
  }

  every(periodMs: number, fn: () => void): number {
    return setInterval(fn, periodMs);
  }

  after(delayMs: number, fn: () => void): number {
    return setTimeout(fn, delayMs);
  }

  cancel(handle: number): void {
    clearTimeout(handle);
  }
}
