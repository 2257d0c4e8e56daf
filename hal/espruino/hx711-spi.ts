import type { CellPins } from "../board";
import { SETTLING_CONVERSIONS, type LoadCell, type SampleBatchHandler } from "../load-cell";
import { espruinoMs } from "./clock";

/*
 * Espruino has no shiftIn, so, like Espruino's own HX711 module, a software SPI uses MOSI as
 * PD_SCK: each 0xAA byte is four clock pulses, and MISO (DOUT) is read after each MOSI write,
 * so every data bit comes twice, in bits 7-6, 5-4, 3-2 and 1-0. The last byte adds 1, 2 or 3
 * pulses, which choose input and gain for the *next* conversion (HX711 datasheet, Table 3):
 * 25 pulses 0x80, 26 0xA0, 27 0xA8.
 *
 * The interpreter executes source text, so the per-sample path is kept short: a table turns each
 * byte into its four data bits (no function call a byte), the batch is a typed array that E.sum
 * E.variance and E.convolve summarise natively, and the firmware runs once a batch. A debounced watch lets
 * Espruino drop, natively, the DOUT edges that reading the data bits makes.
 *
 * Memory matters at 1,700 JsVars (an SPI object is ~19): the cells share one software SPI,
 * pointed at a cell's pins when it reads, and one watch handler finds the cell by its DOUT pin
 * (a closure per cell costs ~9 JsVars).
 */
const FOUR_PULSES = 0xaa;
/** DOUT also falls while the data bits are clocked out: those edges last µs, a debounce drops them natively. */
const DEBOUNCE_MS = 0.5;

function finalByte(gainPulses: number): number {
  return gainPulses === 27 ? 0xa8 : gainPulses === 26 ? 0xa0 : 0x80;
}

/**
 * byte → its data bits 7, 5, 3 and 1, as a nibble. A string literal: Espruino leaves a long
 * string of code that runs from flash in flash, and a Uint8Array views it there, for no JsVars.
 */
const BITS =
  "\x00\x00\x01\x01\x00\x00\x01\x01\x02\x02\x03\x03\x02\x02\x03\x03\x00\x00\x01\x01\x00\x00\x01\x01\x02\x02\x03\x03\x02\x02\x03\x03\x04\x04\x05\x05\x04\x04\x05\x05\x06\x06\x07\x07\x06\x06\x07\x07\x04\x04\x05\x05\x04\x04\x05\x05\x06\x06\x07\x07\x06\x06\x07\x07\x00\x00\x01\x01\x00\x00\x01\x01\x02\x02\x03\x03\x02\x02\x03\x03\x00\x00\x01\x01\x00\x00\x01\x01\x02\x02\x03\x03\x02\x02\x03\x03\x04\x04\x05\x05\x04\x04\x05\x05\x06\x06\x07\x07\x06\x06\x07\x07\x04\x04\x05\x05\x04\x04\x05\x05\x06\x06\x07\x07\x06\x06\x07\x07\x08\x08\x09\x09\x08\x08\x09\x09\x0a\x0a\x0b\x0b\x0a\x0a\x0b\x0b\x08\x08\x09\x09\x08\x08\x09\x09\x0a\x0a\x0b\x0b\x0a\x0a\x0b\x0b\x0c\x0c\x0d\x0d\x0c\x0c\x0d\x0d\x0e\x0e\x0f\x0f\x0e\x0e\x0f\x0f\x0c\x0c\x0d\x0d\x0c\x0c\x0d\x0d\x0e\x0e\x0f\x0f\x0e\x0e\x0f\x0f\x08\x08\x09\x09\x08\x08\x09\x09\x0a\x0a\x0b\x0b\x0a\x0a\x0b\x0b\x08\x08\x09\x09\x08\x08\x09\x09\x0a\x0a\x0b\x0b\x0a\x0a\x0b\x0b\x0c\x0c\x0d\x0d\x0c\x0c\x0d\x0d\x0e\x0e\x0f\x0f\x0e\x0e\x0f\x0f\x0c\x0c\x0d\x0d\x0c\x0c\x0d\x0d\x0e\x0e\x0f\x0f\x0e\x0e\x0f\x0f";
let bits: Uint8Array | undefined = undefined;

/* Each gain's clock pattern, by gain pulses − 25, shared by the cells that use it. */
const patterns: Uint8Array[] = [];

function addPattern(gainPulses: number): void {
  const f = FOUR_PULSES;
  if (patterns[gainPulses - 25] === undefined) {
    patterns[gainPulses - 25] = new Uint8Array([f, f, f, f, f, f, finalByte(gainPulses)]);
  }
}

const cellByDout: EspruinoHx711[] = [];

function onDataReady(e: EspruinoWatchEvent): void {
  // e.pin is a Pin, which would index the array as "D5"; | 0 makes it the number.
  cellByDout[e.pin | 0].ready(e.time);
}

let spi: SPI | undefined = undefined;
/* getTime() at boot, for every cell: one variable rather than a field a cell. */
let bootAtS = 0;
let spiFor = -1;

export class EspruinoHx711 implements LoadCell {
  private readonly batch: Int32Array;
  private filled = 0;
  private settling = 0;
  private watchId = -1;
  private onBatch: SampleBatchHandler | undefined;

  constructor(private readonly pins: CellPins, private readonly index: number, bootS: number) {
    bootAtS = bootS;
    pinMode(pins.dout, "input");
    digitalWrite(pins.sck, 0);
    this.batch = new Int32Array(pins.batch);
    addPattern(pins.gainPulses);
    if (bits === undefined) {
      bits = new Uint8Array(E.toArrayBuffer(BITS));
    }
  }

  start(onBatch: SampleBatchHandler): void {
    this.onBatch = onBatch;
    this.settling = SETTLING_CONVERSIONS;
    digitalWrite(this.pins.sck, 0);
    cellByDout[this.pins.dout] = this;
    this.watchId = setWatch(onDataReady, this.pins.dout, { edge: "falling", repeat: true, debounce: DEBOUNCE_MS });
  }

  stop(): void {
    if (this.watchId >= 0) {
      clearWatch(this.watchId);
      this.watchId = -1;
    }
    this.onBatch = undefined;
    this.filled = 0;
    digitalWrite(this.pins.sck, 1);
  }

  ready(timeS: number): void {
    const p = this.pins;
    if (this.onBatch === undefined || digitalRead(p.dout) !== 0) {
      return;
    }
    if (spiFor !== p.dout) {
      if (spi === undefined) {
        spi = new SPI();
      }
      spi.setup({ miso: p.dout, mosi: p.sck, baud: 2000000 });
      spiFor = p.dout;
    }
    const d = spi!.send(patterns[p.gainPulses - 25]);
    const t = bits!;
    const raw = (t[d[0]] << 20) | (t[d[1]] << 16) | (t[d[2]] << 12) | (t[d[3]] << 8) | (t[d[4]] << 4) | t[d[5]];
    if (this.settling > 0) {
      this.settling--;
      return;
    }
    const b = this.batch;
    b[this.filled] = raw >= 0x800000 ? raw - 0x1000000 : raw;
    this.filled++;
    if (this.filled === p.batch) {
      this.filled = 0;
      const mean = E.sum(b) / p.batch;
      // Successive steps squared: circularly 2(Σx² − Σx·x₊₁), less the wrap-around step. Counts are
      // integers under 2^23, so every sum is exact in a double, and equal to the NodeMCU port's.
      const wrap = b[p.batch - 1] - b[0];
      const diffSq = 2 * (E.convolve(b, b, 0) - E.convolve(b, b, 1)) - wrap * wrap;
      this.onBatch(this.index, b as unknown as number[], p.batch, espruinoMs(timeS, bootAtS), mean, E.variance(b, mean), diffSq);
    }
  }
}
