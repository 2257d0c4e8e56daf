import type { Clock } from "../clock";
import { afterMs, cancelTimer, everyMs } from "../nodemcu/timers";

/*
 * tmr runs on FreeRTOS timers at NodeMCU's 100 Hz tick: pdMS_TO_TICKS rounds down (a period of no
 * tick fails an assert and reboots), and a timer counts from the tick it was started in. Periods
 * and delays are asked for in whole ticks, rounded up.
 */
const TICK_MS = 10;

function ticksMs(ms: number): number {
  return Math.max(1, Math.ceil(ms / TICK_MS)) * TICK_MS;
}

/**
 * The ESP32's time: node.uptime() is µs since boot in 53 bits, so it never wraps (tmr.now does
 * not exist there). It comes as a float: on dev-esp32's default single-precision build that
 * keeps whole µs for the first 16.8 s and whole ms for about 72 minutes, so a shelf that runs for
 * weeks wants a firmware built with CONFIG_LUA_NUMBER_DOUBLE (the firmware's own ms times, as
 * floats, need it too).
 */
export class Esp32Clock implements Clock {
  nowMs(): number {
    return node.uptime() / 1000;
  }

  every(periodMs: number, fn: () => void): number {
    return everyMs(ticksMs(periodMs), fn);
  }

  after(delayMs: number, fn: () => void): number {
    return afterMs(ticksMs(delayMs), fn);
  }

  cancel(handle: number): void {
    cancelTimer(handle);
  }
}
