import type { Admissions } from "../admissions";
import type { Clock } from "../clock";

/*
 * Admissions typed on the serial console: the host sends `admit(0,"tok-7f3a")` and a newline,
 * which NodeMCU's Lua interpreter on the UART runs (docs/gate.md, "Admissions"). The same line is
 * valid JavaScript, so a host talks to either platform alike. Used by both chips' ports.
 */
export function consoleAdmissions(clock: Clock): Admissions {
  return {
    watch(onAdmit: (lane: number, token: string, tMs: number) => void): void {
      _G.admit = (lane: number, token: string): void => {
        onAdmit(lane, token, clock.nowMs());
      };
    },
  };
}
