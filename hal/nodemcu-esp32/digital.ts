import type { Clock } from "../clock";
import type { DigitalIn, DigitalOut } from "../digital";
import { Db, debounced, debounceEdge } from "../nodemcu/debounce";
import type { Debounced } from "../nodemcu/debounce";

export class Esp32DigitalIn implements DigitalIn {
  private readonly d: Debounced;

  constructor(pin: number, debounceMs: number, clock: Clock) {
    gpio.config({ gpio: pin, dir: gpio.IN });
    this.d = debounced(pin, debounceMs, clock);
  }

  read(): boolean {
    return gpio.read(this.d[Db.PIN]) !== 0;
  }

  watch(onChange: (level: boolean, tMs: number) => void): void {
    const d = this.d;
    d[Db.ON_CHANGE] = onChange;
    // The ESP32's callback carries no time: it runs from a task soon after the edge, and dates it then.
    gpio.trig(d[Db.PIN], gpio.INTR_UP_DOWN, (): void => {
      debounceEdge(d, d[Db.CLOCK].nowMs());
    });
  }
}

export class Esp32DigitalOut implements DigitalOut {
  constructor(private readonly pin: number) {
    gpio.config({ gpio: pin, dir: gpio.OUT });
  }

  write(level: boolean): void {
    gpio.write(this.pin, level ? 1 : 0);
  }
}
