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
    // Espruino's Linux build has no Wifi module: it is on its host's network already.
    try {
      require("Wifi").connect(ssid, { password: password });
    } catch (e) {
      print("E wifi: " + e);
    }
  }
}
