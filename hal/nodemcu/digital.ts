import type { DigitalIn, DigitalOut } from "../digital";
import type { NodeMcuClock } from "./clock";

/** gpio.trig has no debounce, so an edge counts once the level has held for debounceMs. */
export class NodeMcuDigitalIn implements DigitalIn {
  private settled = false;
  private pendingTimer = -1;

  constructor(private readonly pin: number, private readonly debounceMs: number, private readonly clock: NodeMcuClock) {
    gpio.mode(pin, gpio.INT);
    this.settled = gpio.read(pin) !== 0;
  }

  read(): boolean {
    return gpio.read(this.pin) !== 0;
  }

  watch(onChange: (level: boolean, tMs: number) => void): void {
    gpio.trig(this.pin, "both", (level: number, whenUs: number): void => {
      const edgeMs = this.clock.unwrapMs(whenUs);
      if (this.pendingTimer >= 0) {
        this.clock.cancel(this.pendingTimer);
        this.pendingTimer = -1;
      }
      const high = level !== 0;
      if (high === this.settled) {
        return;
      }
      if (this.debounceMs <= 0) {
        this.settled = high;
        onChange(high, edgeMs);
        return;
      }
      this.pendingTimer = this.clock.after(this.debounceMs, (): void => {
        this.pendingTimer = -1;
        if ((gpio.read(this.pin) !== 0) === high) {
          this.settled = high;
          onChange(high, edgeMs);
        }
      });
    });
  }
}

export class NodeMcuDigitalOut implements DigitalOut {
  constructor(private readonly pin: number) {
    gpio.mode(pin, gpio.OUTPUT);
  }

  write(level: boolean): void {
    gpio.write(this.pin, level ? gpio.HIGH : gpio.LOW);
  }
}
