/*
 * process.env as Espruino 2v29 answers it on the boards aisle runs on (jswrap_process.c,
 * boards/ESP32.py and ESP8266_4MB.py): what EspruinoTools asks for as it connects, to learn the
 * board, the version and the modules built in (so that require("Storage") is not fetched).
 * RAM is the chip's (KB × 1024), STORAGE the saved-code area (pages × page size); SERIAL is the
 * chip's MAC, which a virtual board makes up.
 */
import type { BoardFile } from "../../tools/build/board-file.ts";

export interface EspruinoEnv {
  VERSION: string;
  GIT_COMMIT: string;
  BOARD: string;
  RAM: number;
  FLASH: number;
  STORAGE: number;
  SERIAL: string;
  /** "Serial1" on the UART; "Telnet" when the console is a TCP connection, as this REPL's is. */
  CONSOLE: string;
  MODULES: string;
  EXPTR: number;
}

const ESP32_MODULES = "Flash,Storage,heatshrink,fs,net,dgram,http,tls,NetworkJS,Wifi,ESP32,TelnetServer,crypto,neopixel";
const ESP8266_MODULES = "Flash,Storage,heatshrink,net,dgram,http,NetworkJS,Wifi,ESP8266,TelnetServer,crypto,neopixel";

export function espruinoProcessEnv(board: Pick<BoardFile, "mcu">, consoleDevice: string): EspruinoEnv {
  const esp32 = board.mcu === "esp32";
  return {
    VERSION: "2v29",
    GIT_COMMIT: "6106910b",
    BOARD: esp32 ? "ESP32" : "ESP8266_4MB",
    RAM: esp32 ? 512 * 1024 : 80 * 1024,
    FLASH: 0,
    STORAGE: esp32 ? 224 * 4096 : 48 * 4096,
    SERIAL: esp32 ? "30aea4f2-a1c4" : "5ccf7f0b-3d2e",
    CONSOLE: consoleDevice,
    MODULES: esp32 ? ESP32_MODULES : ESP8266_MODULES,
    EXPTR: esp32 ? 1073484860 : 1073643636,
  };
}

/** The banner Espruino prints when it starts without code to load (jsiSemiInit); the ESP8266 adds its flash map. */
export function espruinoBanner(board: Pick<BoardFile, "mcu">): string {
  return "\x1B[?7l\n" +
    " ____                 _ \n" +
    "|  __|___ ___ ___ _ _|_|___ ___ \n" +
    "|  __|_ -| . |  _| | | |   | . |\n" +
    "|____|___|  _|_| |___|_|_|_|___|\n" +
    "         |_| espruino.com\n" +
    " 2v29 (c) 2025 G.Williams\n" +
    "\n" +
    "Espruino is Open Source. Our work is supported\n" +
    "only by sales of official boards and donations:\n" +
    "http://espruino.com/Donate\n" +
    (board.mcu === "esp8266" ? "Flash map 4MB:1024/1024, manuf 0xef chip 0x4016\n" : "");
}
