/*
 * What a live virtual NodeMCU hands on when node.restart() resets it (sim/nodemcu/vboard.lua has
 * the design): the flash file system it printed ("~fs NAME HEX"), the instant of the reset
 * ("~restart t_us"), and what the host had sent it that it never ran. The next board is a new Lua
 * process on the same timeline: it starts at the reset ("S t_us"), on those files, its input pins
 * at the levels the host's stimuli last gave them, and it gets the stimuli after the reset again.
 */

/** The commands that make the next board, in the order vboard.lua takes them. */
export interface NextBoot {
  startUs: number;
  /** "S", then "F" a file: before the host's own setup (H, L, R). */
  head: string[];
  /** "L" a pin the stimuli had moved: after the setup, which gave the levels before the first boot. */
  levels: string[];
  /** The stimuli sent with the step in flight whose time is after the reset, to send after boot. */
  resend: [number, string][];
}

export class LuaRestart {
  private flash: string[] = [];
  private restartUs: number | undefined;
  /** Stimuli sent since the board last answered a step ("~t"): it may not have run them. */
  private inFlight: [number, string][] = [];
  /** Input levels from the "P" stimuli the board has run. */
  private readonly levels = new Map<number, number>();

  /** Takes the board's line if it is one of the reset's: "~fs" (kept here), "~restart" (true, and kept in the lines too). */
  take(line: string): "fs" | "restart" | undefined {
    if (line.startsWith("~fs ")) {
      const m = /^~fs (\S+) ([0-9a-f]*)$/.exec(line);
      if (m === null) throw new Error(`malformed board line: ${line.slice(0, 120)}`);
      this.flash.push(`F ${m[1]} ${m[2]}`);
      return "fs";
    }
    if (line.startsWith("~restart ")) {
      const t = Number(line.slice(9));
      if (!Number.isInteger(t) || t < 0) throw new Error(`malformed board line: ${line}`);
      this.restartUs = t;
      return "restart";
    }
    return undefined;
  }

  /** Whether the board has said it is resetting. */
  get restarting(): boolean {
    return this.restartUs !== undefined;
  }

  /** A stimulus written to the board with the step about to go. */
  sent(stimulus: [number, string]): void {
    this.inFlight.push(stimulus);
  }

  /** The board answered a step: it ran everything sent before it. */
  stepDone(): void {
    for (const s of this.inFlight) this.settle(s[1]);
    this.inFlight = [];
  }

  /** The next board's commands; clears what this one left. */
  next(): NextBoot {
    const startUs = this.restartUs;
    if (startUs === undefined) throw new Error("the board has not restarted");
    // Stimuli at the instant of the reset went to the board that was resetting.
    const resend: [number, string][] = [];
    for (const s of this.inFlight) {
      if (s[0] <= startUs) this.settle(s[1]);
      else resend.push(s);
    }
    const levels = [...this.levels].map(([pin, level]) => `L ${pin} ${level}`);
    const boot: NextBoot = { startUs, head: [`S ${startUs}`, ...this.flash], levels, resend };
    this.flash = [];
    this.inFlight = [];
    this.restartUs = undefined;
    return boot;
  }

  private settle(cmd: string): void {
    const m = /^P \d+ (\d+) ([01])$/.exec(cmd);
    if (m !== null) this.levels.set(Number(m[1]), Number(m[2]));
  }
}
