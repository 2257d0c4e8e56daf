import type { Clock } from "../clock";

/*
 * gpio.trig has no debounce, on either chip: a change counts once the pin has held its new level
 * for debounceMs, and is reported with the time of the edge that began it. The level is read
 * from the pin when the time is up, not taken from the edge: the ESP32 drops the edges that come
 * while a callback is pending, so an edge's level may not be the last word.
 */
export class NodeMcuDebounce {
  private settled: boolean;
  private pendingTimer = -1;

  constructor(private readonly pin: number, private readonly debounceMs: number, private readonly clock: Clock) {
    this.settled = gpio.read(pin) !== 0;
  }

  edge(edgeMs: number, onChange: (level: boolean, tMs: number) => void): void {
    if (this.pendingTimer >= 0) {
      this.clock.cancel(this.pendingTimer);
      this.pendingTimer = -1;
    }
    if (this.debounceMs <= 0) {
      this.settle(edgeMs, onChange);
      return;
    }
    this.pendingTimer = this.clock.after(this.debounceMs, (): void => {
      this.pendingTimer = -1;
      this.settle(edgeMs, onChange);
    });
  }

  private settle(edgeMs: number, onChange: (level: boolean, tMs: number) => void): void {
    const high = gpio.read(this.pin) !== 0;
    if (high !== this.settled) {
      this.settled = high;
      onChange(high, edgeMs);
    }
  }
}
