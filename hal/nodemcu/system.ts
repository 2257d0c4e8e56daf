import type { System } from "../system";

/** Both chips: node.heap() is free heap in bytes; node.restart() reboots into init.lua. */
export function nodemcuSystem(): System {
  return {
    freeMemory(): number {
      return node.heap();
    },
    reboot(): void {
      node.restart();
    },
  };
}
