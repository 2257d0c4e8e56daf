import type { System } from "../system";

/**
 * Both chips: node.heap() is free heap in bytes; node.restart() reboots into init.lua. Joining
 * Wi-Fi is each chip's own (hal/nodemcu/wifi.ts, hal/nodemcu-esp32/wifi.ts): their wifi modules differ.
 */
export function nodemcuSystem(joinWifi: (ssid: string, password: string) => void): System {
  return {
    freeMemory(): number {
      return node.heap();
    },
    reboot(): void {
      node.restart();
    },
    joinWifi: joinWifi,
  };
}
