/**
 * The part of a board file that the ports need at run time. The build turns boards/NAME.json
 * into one of these, as constants in the bundle; the device never parses board files.
 */
export interface CellPins {
  dout: number;
  sck: number;
  /** HX711 input and gain: 25, 26 or 27 clock pulses select A/128, B/32 or A/64 (datasheet p.4). */
  gainPulses: number;
  rateSps: number;
  /** Conversions per batch handed to the firmware. */
  batch: number;
}

export interface GateLanePins {
  beamOuter: number;
  beamInner: number;
  doorClosed: number;
  lock: number;
  /** The lane's lights, lit at level 1: green lets one through, red stops (docs/gate.md, "Signals"). */
  ledGreen: number;
  ledRed: number;
}

export interface BoardConstants {
  id: string;
  /** esp8266 or esp32; on NodeMCU the build picks the port by it (the two chips' APIs differ). */
  mcu: string;
  deviceId: string;
  cells: CellPins[];
  gateLanes: GateLanePins[];
  emergency: number;
  /** The gate's one buzzer, sounding at level 1. */
  buzzer: number;
  debounceMs: number;
}
