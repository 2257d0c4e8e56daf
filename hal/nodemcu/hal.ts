/*
 * The NodeMCU port for the ESP8266 (release/dev, Lua 5.1): the hx711 module, gpio.trig with
 * timestamps, tmr.now, the file module. The build takes it for a board with platform "nodemcu" and
 * mcu "esp8266"; each app's entry imports its own half, so a bundle carries only what its app uses.
 */
export { nodemcuShelfHal } from "./shelf-hal";
export { nodemcuGateHal } from "./gate-hal";
