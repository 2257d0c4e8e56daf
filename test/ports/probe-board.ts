import type { BoardConstants } from "../../hal/board";

/** Two cells (so NodeMCU takes its several-cells path) and one gate lane, with a 20 ms debounce. */
export const PROBE_BOARD: BoardConstants = {
  id: "probe",
  mcu: "esp8266",
  deviceId: "probe",
  cells: [
    { dout: 4, sck: 5, gainPulses: 25, rateSps: 80, batch: 3 },
    { dout: 12, sck: 13, gainPulses: 27, rateSps: 80, batch: 2 },
  ],
  gateLanes: [{ beamOuter: 6, beamInner: 7, doorClosed: 8, lock: 9, ledGreen: 1, ledRed: 2 }],
  emergency: 10,
  buzzer: 3,
  debounceMs: 20,
};

export const ONE_CELL_BOARD: BoardConstants = { ...PROBE_BOARD, cells: [PROBE_BOARD.cells[0]] };

/* The same wiring as GPIO numbers on an ESP32 (the NodeMCU-ESP32 port). */
export const ESP32_PROBE_BOARD: BoardConstants = { ...PROBE_BOARD, id: "probe-esp32", mcu: "esp32" };
