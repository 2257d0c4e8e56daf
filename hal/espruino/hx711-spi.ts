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
 * The interpreter executes source text, and looks a name up by walking the scopes to the global
 * one (a list of every top-level name of the app): the per-conversion path is one function, the
 * watch handler itself, whose every name is its own or its closure's (the SPI, the table, the
 * cells), each cell's state its own fields. A table turns each byte into its four data bits,
 * the batch is a typed array that E.sum, E.variance and E.convolve summarise natively, and the
 * firmware runs once a batch. A debounced watch lets Espruino drop, natively, the DOUT edges that
 * reading the data bits makes.
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

/* Each gain's clock pattern, by gain pulses − 25, shared by the cells that use it. */
const patterns: Uint8Array[] = [];

function addPattern(gainPulses: number): Uint8Array {
  const f = FOUR_PULSES;
  if (patterns[gainPulses - 25] === undefined) {
    patterns[gainPulses - 25] = new Uint8Array([f, f, f, f, f, f, finalByte(gainPulses)]);
  }
  return patterns[gainPulses - 25];
}

/** Started cells by DOUT pin; a stopped cell's slot is undefined. */
const cellByDout: (EspruinoHx711 | undefined)[] = [];
let onReady: ((e: EspruinoWatchEvent) => void) | undefined = undefined;

/**
 * The one watch handler: a conversion read and kept in its cell's batch. The names it uses are
 * its own or its closure's (digitalRead and E's methods too): a global name is looked for through
 * every top-level name of the app, and a native's method through its prototypes. Espruino lexes
 * a function's whole text at each call, so a full batch's work is a function of its own.
 */
function watchHandler(bootS: number): (e: EspruinoWatchEvent) => void {
  // Declared in the order the handler uses them most: a scope is searched name by name.
  const bits = new Uint8Array(E.toArrayBuffer(BITS));
  let spi: SPI | undefined = undefined;
  let spiFor = -1;
  const cells = cellByDout;
  const read = digitalRead;
  const sum = E.sum;
  const variance = E.variance;
  const convolve = E.convolve;
  /* A full batch, summarised natively and handed on. */
  const handOn = (c: EspruinoHx711, timeS: number): void => {
    const b = c.batch;
    const n = c.last + 1;
    const mean = sum(b) / n;
    // Successive steps squared: circularly 2(Σx² − Σx·x₊₁), less the wrap-around step. Counts are
    // integers under 2^23, so every sum is exact in a double, and equal to the NodeMCU port's.
    const wrap = b[n - 1] - b[0];
    c.onBatch!(c.index, b as unknown as number[], n, espruinoMs(timeS, bootS), mean, variance(b, mean), 2 * (convolve(b, b, 0) - convolve(b, b, 1)) - wrap * wrap);
  };
  return (e: EspruinoWatchEvent): void => {
    // e.pin is a Pin, which would index the array as "D5"; | 0 makes it the number.
    const pin = e.pin | 0;
    const c = cells[pin];
    if (!c || read(pin) !== 0) {
      return;
    }
    if (spiFor !== pin) {
      if (!spi) {
        spi = new SPI();
        // Its methods as its own properties: found at once, where a native's method is looked
        // for through its prototypes and Object's first.
        spi.setup = spi.setup;
        spi.send = spi.send;
      }
      spi.setup(c.spiSetup);
      spiFor = pin;
    }
    const d = spi!.send(c.pattern);
    const i = c.filled++;
    if (i < 0) {
      return;
    }
    // The 24 data bits placed 8 higher, so that >> 8 makes the two's complement count signed.
    c.batch[i] = (bits[d[0]] << 28 | bits[d[1]] << 24 | bits[d[2]] << 20 | bits[d[3]] << 16 | bits[d[4]] << 12 | bits[d[5]] << 8) >> 8;
    if (i < c.last) {
      return;
    }
    c.filled = 0;
    handOn(c, e.time);
  };
}

/**
 * A cell is also the watch handler's state for it, in fields the handler reads in this order
 * (Espruino finds a field by walking them in the order they were made): filled counts up from
 * −SETTLING_CONVERSIONS after start(), so the settling conversions are read and dropped by the
 * same test that keeps a batch's place.
 */
export class EspruinoHx711 implements LoadCell {
  /* DOUT as MISO, PD_SCK as MOSI. No baud: software SPI ignores it (Espruino's SPI.setup), and setup() reads every key. */
  readonly spiSetup: EspruinoSpiSetup;
  readonly pattern: Uint8Array;
  filled: number;
  readonly batch: Int32Array;
  /** The batch's last index: reaching it hands the batch on. */
  readonly last: number;
  onBatch: SampleBatchHandler | undefined;
  readonly index: number;
  private watchId: number;

  constructor(pins: CellPins, index: number, bootS: number) {
    pinMode(pins.dout, "input");
    digitalWrite(pins.sck, 0);
    this.spiSetup = { miso: pins.dout, mosi: pins.sck };
    this.pattern = addPattern(pins.gainPulses);
    this.filled = 0;
    this.batch = new Int32Array(pins.batch);
    this.last = pins.batch - 1;
    this.onBatch = undefined;
    this.index = index;
    this.watchId = -1;
    if (onReady === undefined) {
      onReady = watchHandler(bootS);
    }
  }

  start(onBatch: SampleBatchHandler): void {
    const dout = this.spiSetup.miso!;
    this.onBatch = onBatch;
    this.filled = -SETTLING_CONVERSIONS;
    digitalWrite(this.spiSetup.mosi!, 0);
    cellByDout[dout] = this;
    this.watchId = setWatch(onReady!, dout, { edge: "falling", repeat: true, debounce: DEBOUNCE_MS });
  }

  stop(): void {
    if (this.watchId >= 0) {
      clearWatch(this.watchId);
      this.watchId = -1;
    }
    cellByDout[this.spiSetup.miso!] = undefined;
    this.onBatch = undefined;
    this.filled = 0;
    digitalWrite(this.spiSetup.mosi!, 1);
  }
}
