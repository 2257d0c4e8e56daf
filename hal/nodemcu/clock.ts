import type { Clock } from "../clock";
import { round } from "../../firmware/core/math";

const WRAP_US = 2147483648;

/**
 * NodeMCU time in µs since boot. On the ESP8266, tmr.now() has 31 bits and wraps every ~36 min;
 * every reading goes through unwrapUs so that time never goes back.
 */
export class NodeMcuClock implements Clock {
  private lastRawUs = 0;
  private wraps = 0;
  private readonly timers: NodeMcuTimer[] = [];

  constructor(private readonly wrapping: boolean) {}

  /** Turns a raw µs reading (now, or a callback's `when`) into ms since boot. */
  unwrapMs(rawUs: number): number {
    if (!this.wrapping) {
      return rawUs / 1000;
    }
    if (rawUs < this.lastRawUs && this.lastRawUs - rawUs > WRAP_US / 2) {
      this.wraps++;
    }
    this.lastRawUs = rawUs;
    return (this.wraps * WRAP_US + rawUs) / 1000;
  }

  nowMs(): number {
    return this.unwrapMs(this.wrapping ? tmr.now() : node.uptime());
  }

  every(periodMs: number, fn: () => void): number {
    return this.arm(periodMs, tmr.ALARM_AUTO, fn);
  }

  after(delayMs: number, fn: () => void): number {
    return this.arm(delayMs, tmr.ALARM_SINGLE, fn);
  }

  cancel(handle: number): void {
    const t = this.timers[handle];
    if (t !== undefined) {
      t.unregister();
    }
  }

  private arm(ms: number, mode: number, fn: () => void): number {
    const t = tmr.create();
    t.alarm(Math.max(1, round(ms)), mode, () => {
      fn();
    });
    this.timers.push(t);
    return this.timers.length - 1;
  }
}
