import type { Admissions } from "../admissions";
import type { Clock } from "../clock";

/*
 * Admissions typed on the serial console: the host sends `admit(0,"tok-7f3a")` and a newline,
 * which Espruino's REPL runs (docs/gate.md, "Admissions"). A plain object, as nothing else is kept.
 */
export function consoleAdmissions(clock: Clock): Admissions {
  return {
    watch(onAdmit: (lane: number, token: string, tMs: number) => void): void {
      global.admit = function (lane: number, token: string): void {
        onAdmit(lane, token, clock.nowMs());
      };
    },
  };
}
