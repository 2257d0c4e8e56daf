import type { Clock } from "../clock";
import type { DigitalIn, DigitalOut } from "../digital";
import { NodeMcuDebounce } from "../nodemcu/debounce";

export class Esp32DigitalIn implements DigitalIn {
  private readonly debounce: NodeMcuDebounce;

  constructor(private readonly pin: number, debounceMs: number, private readonly clock: Clock) {
    gpio.config({ gpio: pin, dir: gpio.IN });
    this.debounce = new NodeMcuDebounce(pin, debounceMs, clock);
  }

  read(): boolean {
    return gpio.read(this.pin) !== 0;
  }

  watch(onChange: (level: boolean, tMs: number) => void): void {
    // The ESP32's callback carries no time: it runs from a task soon after the edge, and dates it then.
    gpio.trig(this.pin, gpio.INTR_UP_DOWN, (): void => {
      this.debounce.edge(this.clock.nowMs(), onChange);
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
