import type { DigitalIn, DigitalOut } from "../digital";
import type { NodeMcuClock } from "./clock";
import { NodeMcuDebounce } from "./debounce";

export class NodeMcuDigitalIn implements DigitalIn {
  private readonly debounce: NodeMcuDebounce;

  constructor(private readonly pin: number, debounceMs: number, private readonly clock: NodeMcuClock) {
    gpio.mode(pin, gpio.INT);
    this.debounce = new NodeMcuDebounce(pin, debounceMs, clock);
  }

  read(): boolean {
    return gpio.read(this.pin) !== 0;
  }

  watch(onChange: (level: boolean, tMs: number) => void): void {
    // The ESP8266 stamps each edge in its ISR, on tmr.now()'s clock.
    gpio.trig(this.pin, "both", (level: number, whenUs: number): void => {
      this.debounce.edge(this.clock.unwrapMs(whenUs), onChange);
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
