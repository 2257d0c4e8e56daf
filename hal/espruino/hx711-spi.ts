import type { CellPins } from "../board";
import { SETTLING_CONVERSIONS, type LoadCell, type SampleBatchHandler } from "../load-cell";
import { espruinoMs } from "./clock";

/*
 * Espruino has no shiftIn, so, like Espruino's own HX711 module, a software SPI uses MOSI as
 * PD_SCK: each 0xAA byte is four clock pulses, and MISO (DOUT) is sampled while the clock is
 * high, in bits 7, 5, 3 and 1. The last byte adds 1, 2 or 3 pulses, which choose input and gain
 * for the *next* conversion (HX711 datasheet, Table 3): 25 pulses 0x80, 26 0xA0, 27 0xA8.
 *
 * Memory matters at 1,700 JsVars (an SPI object is ~19, a small typed array ~15): the cells share
 * one software SPI, pointed at a cell's pins when it reads, and one clock pattern per gain;
 * per-cell callbacks are one-liners that call methods.
 */
const FOUR_PULSES = 0xaa;

function finalByte(gainPulses: number): number {
  return gainPulses === 27 ? 0xa8 : gainPulses === 26 ? 0xa0 : 0x80;
}

function nibble(b: number): number {
  return ((b >> 4) & 8) | ((b >> 3) & 4) | ((b >> 2) & 2) | ((b >> 1) & 1);
}

/* One watch handler for every cell, finding the cell by its DOUT pin: a closure per cell costs ~9 JsVars. */
const cellByDout: EspruinoHx711[] = [];

function onDataReady(e: EspruinoWatchEvent): void {
  // e.pin is a Pin, which would index the array as "D5"; | 0 makes it the number.
  cellByDout[e.pin | 0].ready(e);
}

let spi: SPI | undefined = undefined;
let spiFor = -1;
let clocks: Uint8Array | undefined = undefined;
let clocksGain = 0;

export class EspruinoHx711 implements LoadCell {
  private readonly batch: number[] = [];
  private filled = 0;
  private settling = 0;
  private watchId = -1;
  private onBatch: SampleBatchHandler | undefined;

  constructor(private readonly pins: CellPins, private readonly index: number, private readonly bootS: number) {
    pinMode(pins.dout, "input");
    digitalWrite(pins.sck, 0);
    for (let i = 0; i < pins.batch; i++) {
      this.batch.push(0);
    }
  }

  start(onBatch: SampleBatchHandler): void {
    this.onBatch = onBatch;
    this.settling = SETTLING_CONVERSIONS;
    digitalWrite(this.pins.sck, 0);
    cellByDout[this.pins.dout] = this;
    this.watchId = setWatch(onDataReady, this.pins.dout, { edge: "falling", repeat: true });
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
  ready(e: EspruinoWatchEvent): void {
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
      this.onBatch(this.index, this.batch, this.pins.batch, espruinoMs(e.time, this.bootS));
    }
  }

  private read(): number {
    if (spi === undefined) {
      spi = new SPI();
    }
    const p = this.pins;
    if (spiFor !== p.dout) {
      spi.setup({ miso: p.dout, mosi: p.sck, baud: 2000000 });
      spiFor = p.dout;
    }
    if (clocks === undefined || clocksGain !== p.gainPulses) {
      const f = FOUR_PULSES;
      clocks = new Uint8Array([f, f, f, f, f, f, finalByte(p.gainPulses)]);
      clocksGain = p.gainPulses;
    }
    const d = spi.send(clocks);
    const raw = (nibble(d[0]) << 20) | (nibble(d[1]) << 16) | (nibble(d[2]) << 12) |
      (nibble(d[3]) << 8) | (nibble(d[4]) << 4) | nibble(d[5]);
    return raw >= 0x800000 ? raw - 0x1000000 : raw;
  }
}
