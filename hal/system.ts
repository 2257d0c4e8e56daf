/** The device itself: what health reports, and the restart a command may ask for. */
export interface System {
  /** Free memory in the platform's unit: Espruino JsVars, NodeMCU heap bytes. */
  freeMemory(): number;
  /** Restarts the app from flash, as a power cycle would (the Store stays). */
  reboot(): void;
}
