import { round } from "../../firmware/core/math";

/*
 * Clock.every/after/cancel on tmr timer objects, the same on the ESP8266 and the ESP32. A handle
 * keys the timer in a table (not an array: a freed slot would be a hole), and a one-shot timer
 * leaves it when it fires, so that a gate's debounce timers do not pile up in the heap.
 */
const timers: { [handle: number]: NodeMcuTimer | undefined } = {};
let nextHandle = 0;

function arm(ms: number, mode: number, fn: () => void): number {
  const handle = nextHandle;
  nextHandle++;
  const t = tmr.create();
  t.alarm(Math.max(1, round(ms)), mode, fn);
  timers[handle] = t;
  return handle;
}

/* A periodic timer calls fn itself: a wrapper would be a closure and three upvalues more in the heap for as long as it runs. */
export function everyMs(periodMs: number, fn: () => void): number {
  return arm(periodMs, tmr.ALARM_AUTO, fn);
}

/* A one-shot timer leaves the table when it fires; arm() gives it the handle nextHandle holds now. */
export function afterMs(delayMs: number, fn: () => void): number {
  const handle = nextHandle;
  return arm(delayMs, tmr.ALARM_SINGLE, (): void => {
    timers[handle] = undefined;
    fn();
  });
}

export function cancelTimer(handle: number): void {
  const t = timers[handle];
  if (t !== undefined) {
    t.unregister();
    timers[handle] = undefined;
  }
}
