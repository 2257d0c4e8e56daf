import type { DigitalIn, DigitalOut } from "../digital";
import { espruinoMs } from "./clock";

export class EspruinoDigitalIn implements DigitalIn {
  constructor(private readonly pin: number, private readonly debounceMs: number, private readonly bootS: number) {
    pinMode(pin, "input");
  }

  read(): boolean {
    return digitalRead(this.pin) !== 0;
  }

  watch(onChange: (level: boolean, tMs: number) => void): void {
    setWatch((e: EspruinoWatchEvent): void => {
      onChange(e.state, espruinoMs(e.time, this.bootS));
    }, this.pin, { edge: "both", repeat: true, debounce: this.debounceMs });
  }
}

export class EspruinoDigitalOut implements DigitalOut {
  constructor(private readonly pin: number) {
    pinMode(pin, "output");
  }

  write(level: boolean): void {
    digitalWrite(this.pin, level ? 1 : 0);
  }
}
