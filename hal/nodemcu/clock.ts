import type { Clock } from "../clock";
import { afterMs, cancelTimer, everyMs } from "./timers";

const WRAP_US = 2147483648;

/*
 * The ESP8266's time: tmr.now() is µs since boot in 31 bits, wrapping every ~36 min; every
 * reading goes through unwrapMs so that time never goes back. One chip, one clock: its state is
 * the module's, and unwrapMs a function of the module rather than a field of the clock, which
 * keeps the clock an object of 4 fields (a hash of 4 slots on NodeMCU; 5 took 8).
 */
let lastRawUs = 0;
let wraps = 0;

/** Turns a raw µs reading (now, or a callback's `when`) into ms since boot. */
function unwrapMs(rawUs: number): number {
  if (rawUs < lastRawUs && lastRawUs - rawUs > WRAP_US / 2) {
    wraps++;
  }
  lastRawUs = rawUs;
  return (wraps * WRAP_US + rawUs) / 1000;
}

/* A plain object over closures rather than a class: on NodeMCU a class costs Lua heap for its class table and prototype. */
function nodemcuClock(): Clock {
  return {
    nowMs: (): number => unwrapMs(tmr.now()),
    every: everyMs,
    after: afterMs,
    cancel: cancelTimer,
  };
}

export { nodemcuClock, unwrapMs };
