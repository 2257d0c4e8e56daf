/** @noSelfInFile */
/*
 * NodeMCU's tmr module as both chips have it (timer objects, called with a colon). Each chip's
 * own declarations add what only it has (the ESP8266's tmr.now).
 */

interface NodeMcuTimer {
  alarm(this: NodeMcuTimer, intervalMs: number, mode: number, callback: (this: void, t: NodeMcuTimer) => void): boolean;
  stop(this: NodeMcuTimer): boolean;
  unregister(this: NodeMcuTimer): void;
}

declare namespace tmr {
  const ALARM_SINGLE: number;
  const ALARM_AUTO: number;
  function create(): NodeMcuTimer;
}
