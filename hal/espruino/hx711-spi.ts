import type { CellPins } from "../board";
import { SETTLING_CONVERSIONS, type LoadCell, type SampleBatchHandler } from "../load-cell";
import { espruinoMs } from "./clock";

/*
 * Espruino has no shiftIn, so, like Espruino's own HX711 module, a software SPI uses MOSI as
 * PD_SCK: each 0xAA byte is four clock pulses, and MISO (DOUT) is sampled while the clock is
 * high, in bits 7, 5, 3 and 1. The last byte adds 1, 2 or 3 pulses, which choose input and gain
 * for the *next* conversion (HX711 datasheet, Table 3): 25 pulses 0x80, 26 0xA0, 27 0xA8.
 *
 * Memory matters at 1,700 JsVars: Espruino copies a function's source each time a function
 * expression is evaluated, so per-cell callbacks are one-liners that call methods, and the
 * buffers are typed arrays.
 */
const FOUR_PULSES = 0xaa;

function finalByte(gainPulses: number): number {
  return gainPulses === 27 ? 0xa8 : gainPulses === 26 ? 0xa0 : 0x80;
}

function nibble(b: number): number {
  return ((b >> 4) & 8) | ((b >> 3) & 4) | ((b >> 2) & 2) | ((b >> 1) & 1);
}

export class EspruinoHx711 implements LoadCell {
  private readonly spi = new SPI();
  private readonly clocks: Uint8Array;
  private readonly batch: Int32Array;
  private filled = 0;
  private settling = 0;
  private watchId = -1;
  private onBatch: SampleBatchHandler | undefined;

  constructor(private readonly pins: CellPins, private readonly bootS: number) {
    this.spi.setup({ miso: pins.dout, mosi: pins.sck, baud: 2000000 });
    pinMode(pins.dout, "input");
    digitalWrite(pins.sck, 0);
    const f = FOUR_PULSES;
    this.clocks = new Uint8Array([f, f, f, f, f, f, finalByte(pins.gainPulses)]);
    this.batch = new Int32Array(pins.batch);
  }

  start(onBatch: SampleBatchHandler): void {
    this.onBatch = onBatch;
    this.settling = SETTLING_CONVERSIONS;
    digitalWrite(this.pins.sck, 0);
    this.watchId = setWatch((e: EspruinoWatchEvent): void => this.ready(e), this.pins.dout, { edge: "falling", repeat: true });
  }

  stop(): void {
    if (this.watchId >= 0) {
      clearWatch(this.watchId);
      this.watchId = -1;
    }
    this.filled = 0;
    digitalWrite(this.pins.sck, 1);
  }

  /* DOUT also falls while data bits are clocked out; those edges find DOUT high afterwards. */
  private ready(e: EspruinoWatchEvent): void {
    if (digitalRead(this.pins.dout) !== 0 || this.onBatch === undefined) {
      return;
    }
    const counts = this.read();
    if (this.settling > 0) {
      this.settling--;
      return;
    }
    this.batch[this.filled] = counts;
    this.filled++;
    if (this.filled === this.pins.batch) {
      this.filled = 0;
      // The port's flat buffer stands in for the array: the firmware only indexes it.
      this.onBatch(this.batch as unknown as number[], this.pins.batch, espruinoMs(e.time, this.bootS));
    }
  }

  private read(): number {
    const d = this.spi.send(this.clocks);
    const raw = (nibble(d[0]) << 20) | (nibble(d[1]) << 16) | (nibble(d[2]) << 12) |
      (nibble(d[3]) << 8) | (nibble(d[4]) << 4) | nibble(d[5]);
    return raw >= 0x800000 ? raw - 0x1000000 : raw;
  }
}
