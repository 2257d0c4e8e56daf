/*
 * The NodeMCU port for the ESP32 (dev-esp32, Lua 5.3): the SPI master reads the HX711s, gpio.trig
 * callbacks run from tasks, the clock is node.uptime(), the store goes through io. The build takes
 * it for a board with platform "nodemcu" and mcu "esp32"; each app's entry imports its own half.
 */
export { nodemcuEsp32ShelfHal } from "./shelf-hal";
export { nodemcuEsp32GateHal } from "./gate-hal";
