import type { System } from "../system";

/* load() with no argument resets the interpreter and runs the saved code (.bootcde), as a power cycle would, Storage kept. */
export class EspruinoSystem implements System {
  freeMemory(): number {
    return process.memory().free;
  }

  reboot(): void {
    load();
  }

  joinWifi(ssid: string, password: string): void {
    require("Wifi").connect(ssid, { password: password });
  }
}
