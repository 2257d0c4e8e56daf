import type { CellPins } from "../board";
import type { Clock } from "../clock";
import { SETTLING_CONVERSIONS, type LoadCell, type SampleBatchHandler } from "../load-cell";
import { mod } from "../../firmware/core/math";
import { diffSqOf, meanOf, varianceOf } from "../nodemcu/batch-stats";

/*
 * dev-esp32 has no hx711 module, so the SPI master reads the chip as the Espruino port does: MOSI
 * is PD_SCK, each 0xAA byte is four clock pulses, and the last byte adds 1, 2 or 3 that choose
 * input and gain for the *next* conversion (HX711 datasheet, Table 3): 25 pulses 0x80, 26 0xA0,
 * 27 0xA8. SCLK goes to no pin. One full-duplex transfer of seven bytes is the whole read, in C.
 *
 * Sampling: the transfer is mode 0 at 1 MHz, where ESP-IDF, finding the GPIO matrix's delay
 * small beside the clock, samples MISO half an SPI clock late (miso_delay_mode): each bit at the
 * end of its MOSI level. Bits 7, 5, 3, 1 of a byte (MOSI high) are then read a full microsecond
 * after PD_SCK rose, as the chip's new bit (valid 0.1 µs after the edge); bits 6, 4, 2, 0 at the
 * instant the next rise starts, racing the chip's next bit. So only the odd bits are used: the
 * same decoding as Espruino's software SPI, which reads MISO after each MOSI write.
 *
 * Data-ready is DOUT's falling edge through gpio.trig; the ISR turns the pin's interrupt off
 * until the callback has returned, so the DOUT edges the data bits make during the read are
 * dropped, not reported.
 *
 * The one SPI host to be had is HSPI (the module refuses VSPI), so with several cells the bus is
 * set up again on the next cell's pins when it changes hands. Freeing it resets the old pins
 * (inputs with pull-ups, interrupts off): the cell takes them back at once, PD_SCK driven low
 * again (the chip powers down only after 60 µs high) and DOUT watched again. A pull-down of
 * 10 kΩ or less on each PD_SCK keeps the pull-up from making a clock edge in that gap.
 */
const SPI_HZ = 1000000;
const FOUR_PULSES = 0xaa;

function finalByte(gainPulses: number): number {
  return gainPulses === 27 ? 0xa8 : gainPulses === 26 ? 0xa0 : 0x80;
}

/* byte → its data bits 7, 5, 3 and 1, as a nibble. */
const nibbleOf: number[] = [];

function fillNibbles(): void {
  for (let b = 0; b < 256; b++) {
    nibbleOf.push(Math.floor(b / 128) * 8 + mod(Math.floor(b / 32), 2) * 4 + mod(Math.floor(b / 8), 2) * 2 + mod(Math.floor(b / 2), 2));
  }
}

let bus: Esp32SpiMaster | undefined = undefined;
let device: Esp32SpiDevice | undefined = undefined;
let onBus: Esp32Hx711 | undefined = undefined;
/* A cell whose data-ready may have fallen while the bus reset had its interrupt off. */
let missed: Esp32Hx711 | undefined = undefined;

function freeBus(): void {
  const had = onBus;
  if (device === undefined || bus === undefined || had === undefined) {
    return;
  }
  device.remove();
  bus.close();
  device = undefined;
  bus = undefined;
  onBus = undefined;
  had.takePins();
}

/* The device's settings, the same for every cell. */
const DEVICE: Esp32SpiDeviceConfig = { mode: 0, freq: SPI_HZ };

export class Esp32Hx711 implements LoadCell {
  private readonly batch: number[] = [];
  private readonly pattern: string;
  /* Made once: the bus changes hands at most reads, and garbage costs the ESP32 too. */
  private readonly busPins: Esp32SpiBusPins;
  private readonly sckOut: Esp32GpioConfig;
  private readonly doutIn: Esp32GpioConfig;
  private readonly onReady: () => void;
  private filled = 0;
  private settling = 0;
  private onBatch: SampleBatchHandler | undefined = undefined;

  constructor(private readonly pins: CellPins, private readonly index: number, private readonly clock: Clock) {
    const f = FOUR_PULSES;
    this.pattern = String.fromCharCode(f, f, f, f, f, f, finalByte(pins.gainPulses));
    this.busPins = { mosi: pins.sck, miso: pins.dout };
    this.sckOut = { gpio: pins.sck, dir: gpio.OUT };
    this.doutIn = { gpio: pins.dout, dir: gpio.IN };
    this.onReady = (): void => this.ready();
    for (let i = 0; i < pins.batch; i++) {
      this.batch.push(0);
    }
    if (nibbleOf.length === 0) {
      fillNibbles();
    }
    gpio.write(pins.sck, 0);
    this.takePins();
  }

  start(onBatch: SampleBatchHandler): void {
    this.onBatch = onBatch;
    this.settling = SETTLING_CONVERSIONS;
    this.filled = 0;
    gpio.write(this.pins.sck, 0);
    this.watchDout();
    // A chip left awake may hold a conversion already: its DOUT fell before anyone watched.
    if (gpio.read(this.pins.dout) === 0) {
      this.ready();
    }
  }

  stop(): void {
    this.onBatch = undefined;
    this.filled = 0;
    gpio.trig(this.pins.dout, gpio.INTR_NONE);
    // The output register first: if the bus has the pin, it takes over the level when freed.
    gpio.write(this.pins.sck, 1);
    if (onBus === this) {
      freeBus();
    }
  }

  /** The cell's pins as GPIO again: PD_SCK an output at its register's level, DOUT an input, watched while running. */
  takePins(): void {
    gpio.config(this.sckOut, this.doutIn);
    if (this.onBatch !== undefined) {
      this.watchDout();
      if (gpio.read(this.pins.dout) === 0) {
        missed = this;
      }
    }
  }

  private watchDout(): void {
    gpio.trig(this.pins.dout, gpio.INTR_DOWN, this.onReady);
  }

  private ready(): void {
    const p = this.pins;
    if (this.onBatch === undefined || gpio.read(p.dout) !== 0) {
      return;
    }
    const tMs = this.clock.nowMs();
    if (onBus !== this) {
      freeBus();
      // No DMA: seven bytes fit the host's own buffer, and setting the bus up takes no DMA channel.
      bus = spi.master(spi.HSPI, this.busPins, 0);
      device = bus.device(DEVICE);
      onBus = this;
    }
    const d = device!.transfer(this.pattern);
    const raw = nibbleOf[d.charCodeAt(0)] * 1048576 + nibbleOf[d.charCodeAt(1)] * 65536 + nibbleOf[d.charCodeAt(2)] * 4096 +
      nibbleOf[d.charCodeAt(3)] * 256 + nibbleOf[d.charCodeAt(4)] * 16 + nibbleOf[d.charCodeAt(5)];
    if (this.settling > 0) {
      this.settling--;
    } else {
      this.take(raw >= 8388608 ? raw - 16777216 : raw, tMs);
    }
    const m = missed;
    if (m !== undefined) {
      missed = undefined;
      m.ready();
    }
  }

  private take(counts: number, tMs: number): void {
    const b = this.batch;
    b[this.filled] = counts;
    this.filled++;
    if (this.filled === this.pins.batch && this.onBatch !== undefined) {
      const n = this.filled;
      this.filled = 0;
      const mean = meanOf(b, n);
      this.onBatch(this.index, b, n, tMs, mean, varianceOf(b, n, mean), diffSqOf(b, n));
    }
  }
}
