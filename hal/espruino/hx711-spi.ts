import type { CellPins } from "../board";
import type { LoadCell, SampleBatchHandler } from "../load-cell";
import { espruinoMs } from "./clock";

/*
 * Espruino has no shiftIn, so, like Espruino's own HX711 module, a software SPI uses MOSI as
 * PD_SCK: each 0xAA byte is four clock pulses, and MISO (DOUT) is sampled while the clock is
 * high, in bits 7, 5, 3 and 1. The last byte adds 1, 2 or 3 pulses, which choose input and gain
 * for the *next* conversion (HX711 datasheet, Table 3).
 */
const FOUR_PULSES = 0xaa;
const FINAL_BYTE_FOR_PULSES: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0xa0, 0xa8];

function nibble(b: number): number {
  return ((b >> 4) & 8) | ((b >> 3) & 4) | ((b >> 2) & 2) | ((b >> 1) & 1);
}

export class EspruinoHx711 implements LoadCell {
  private readonly spi = new SPI();
  private readonly clocks: number[];
  private readonly batch: number[] = [];
  private filled = 0;
  private watchId = -1;

  constructor(private readonly pins: CellPins, private readonly bootS: number) {
    this.spi.setup({ miso: pins.dout, mosi: pins.sck, baud: 2000000 });
    pinMode(pins.dout, "input");
    digitalWrite(pins.sck, 0);
    const f = FOUR_PULSES;
    this.clocks = [f, f, f, f, f, f, FINAL_BYTE_FOR_PULSES[pins.gainPulses]];
    for (let i = 0; i < pins.batch; i++) {
      this.batch.push(0);
    }
  }

  start(onBatch: SampleBatchHandler): void {
    const dout = this.pins.dout;
    const size = this.pins.batch;
    // DOUT also falls while data bits are clocked out; those edges find DOUT high afterwards.
    this.watchId = setWatch((e: EspruinoWatchEvent): void => {
      if (digitalRead(dout) !== 0) {
        return;
      }
      this.batch[this.filled] = this.read();
      this.filled = this.filled + 1;
      if (this.filled === size) {
        this.filled = 0;
        onBatch(this.batch, size, espruinoMs(e.time, this.bootS));
      }
    }, dout, { edge: "falling", repeat: true });
  }

  stop(): void {
    if (this.watchId >= 0) {
      clearWatch(this.watchId);
      this.watchId = -1;
    }
    this.filled = 0;
  }

  private read(): number {
    const d = this.spi.send(this.clocks);
    const raw = (nibble(d[0]) << 20) | (nibble(d[1]) << 16) | (nibble(d[2]) << 12) |
      (nibble(d[3]) << 8) | (nibble(d[4]) << 4) | nibble(d[5]);
    return raw >= 0x800000 ? raw - 0x1000000 : raw;
  }
}
