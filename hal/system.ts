/** The device itself: what health reports, the restart a command may ask for, and its network. */
export interface System {
  /** Free memory in the platform's unit: Espruino JsVars, NodeMCU heap bytes. */
  freeMemory(): number;
  /** Restarts the app from flash, as a power cycle would (the Store stays). */
  reboot(): void;
  /**
   * Joins the Wi-Fi network the device record names, as a station; the platform keeps it joined
   * and rejoins after a drop, and the MQTT link dials until it can (docs/mqtt.md, "The device record").
   */
  joinWifi(ssid: string, password: string): void;
}
