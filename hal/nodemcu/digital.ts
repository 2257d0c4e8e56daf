import type { DigitalIn, DigitalOut } from "../digital";
import type { Clock } from "../clock";
import { unwrapMs } from "./clock";
import { Db, debounced, debounceEdge } from "./debounce";
import type { Debounced } from "./debounce";

/* One field, the debounce's array (pin and clock among its slots): each input costs a table of one field on NodeMCU. */
export class NodeMcuDigitalIn implements DigitalIn {
  private readonly d: Debounced;

  constructor(pin: number, debounceMs: number, clock: Clock) {
    gpio.mode(pin, gpio.INT);
    this.d = debounced(pin, debounceMs, clock);
  }

  read(): boolean {
    return gpio.read(this.d[Db.PIN]) !== 0;
  }

  watch(onChange: (level: boolean, tMs: number) => void): void {
    const d = this.d;
    d[Db.ON_CHANGE] = onChange;
    // The ESP8266 stamps each edge in its ISR, on tmr.now()'s clock.
    gpio.trig(d[Db.PIN], "both", (level: number, whenUs: number): void => {
      debounceEdge(d, unwrapMs(whenUs));
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
