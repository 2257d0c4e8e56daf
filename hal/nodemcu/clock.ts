import type { Clock } from "../clock";
import { afterMs, cancelTimer, everyMs } from "./timers";

const WRAP_US = 2147483648;

/**
 * The ESP8266's time: tmr.now() is µs since boot in 31 bits, wrapping every ~36 min; every
 * reading goes through unwrapMs so that time never goes back.
 */
export class NodeMcuClock implements Clock {
  private lastRawUs = 0;
  private wraps = 0;

  /** Turns a raw µs reading (now, or a callback's `when`) into ms since boot. */
  unwrapMs(rawUs: number): number {
    if (rawUs < this.lastRawUs && this.lastRawUs - rawUs > WRAP_US / 2) {
      this.wraps++;
    }
    this.lastRawUs = rawUs;
    return (this.wraps * WRAP_US + rawUs) / 1000;
  }

  nowMs(): number {
    return this.unwrapMs(tmr.now());
  }

  every(periodMs: number, fn: () => void): number {
    return everyMs(periodMs, fn);
  }

  after(delayMs: number, fn: () => void): number {
    return afterMs(delayMs, fn);
  }

  cancel(handle: number): void {
    cancelTimer(handle);
  }
}
