import type { CellPins } from "../board";
import { SETTLING_CONVERSIONS, type LoadCell, type SampleBatchHandler } from "../load-cell";
import { mod } from "../../firmware/core/math";
import { diffSqOf, meanOf, varianceOf } from "./batch-stats";
import type { NodeMcuClock } from "./clock";

/* NodeMCU's hx711 mode for the clock pulses that select it (HX711 datasheet, Table 3): 25 → 0 (A/128), 26 → 1 (B/32), 27 → 2 (A/64). */
function modeFor(gainPulses: number): number {
  return gainPulses === 27 ? 2 : gainPulses === 26 ? 1 : 0;
}

function signed24(b0: number, b1: number, b2: number): number {
  const raw = b0 + b1 * 256 + b2 * 65536;
  return raw >= 8388608 ? raw - 16777216 : raw;
}

/**
 * A board with one cell uses hx711.start: the C module reads each conversion on its DOUT
 * interrupt and calls back once a batch, so Lua runs once per batch.
 */
export class NodeMcuHx711Batch implements LoadCell {
  private readonly batch: number[] = [];

  constructor(private readonly pins: CellPins, private readonly index: number, private readonly clock: NodeMcuClock) {
    hx711.init(pins.sck, pins.dout);
    for (let i = 0; i < pins.batch; i++) {
      this.batch.push(0);
    }
  }

  /* The conversions made while the chip settles after wake-up come as one batch of their own, dropped; then the real batches start. */
  start(onBatch: SampleBatchHandler): void {
    const mode = modeFor(this.pins.gainPulses);
    gpio.write(this.pins.sck, gpio.LOW);
    hx711.start(mode, SETTLING_CONVERSIONS, (): void => {
      hx711.start(mode, this.pins.batch, (s: string, tUs: number): void => this.take(s, tUs, onBatch));
    });
  }

  stop(): void {
    hx711.stop();
    gpio.write(this.pins.sck, gpio.HIGH);
  }

  private take(s: string, tUs: number, onBatch: SampleBatchHandler): void {
    const n = Math.floor(s.length / 3);
    for (let i = 0; i < n; i++) {
      this.batch[i] = signed24(s.charCodeAt(3 * i), s.charCodeAt(3 * i + 1), s.charCodeAt(3 * i + 2));
    }
    // The module stamps with all 32 bits of system_get_time(); tmr.now() keeps 31: fold into its domain.
    const mean = meanOf(this.batch, n);
    onBatch(this.index, this.batch, n, this.clock.unwrapMs(mod(tUs, 2147483648)), mean, varianceOf(this.batch, n, mean), diffSqOf(this.batch, n));
  }
}

/**
 * hx711.start serves one chip, so a board with several cells watches each DOUT with gpio.trig
 * and, when it falls, points the module at that chip (hx711.init) and reads one conversion.
 */
export class NodeMcuHx711Polled implements LoadCell {
  private readonly batch: number[] = [];
  private filled = 0;
  private settling = 0;

  constructor(private readonly pins: CellPins, private readonly index: number, private readonly clock: NodeMcuClock) {
    gpio.mode(pins.dout, gpio.INT);
    gpio.mode(pins.sck, gpio.OUTPUT);
    gpio.write(pins.sck, gpio.LOW);
    for (let i = 0; i < pins.batch; i++) {
      this.batch.push(0);
    }
  }

  start(onBatch: SampleBatchHandler): void {
    const pins = this.pins;
    const mode = modeFor(pins.gainPulses);
    this.settling = SETTLING_CONVERSIONS;
    gpio.write(pins.sck, gpio.LOW);
    gpio.trig(pins.dout, "down", (level: number, whenUs: number): void => {
      // Data bits clocked out of DOUT also make falling edges; by now DOUT is high again.
      if (gpio.read(pins.dout) !== 0) {
        return;
      }
      hx711.init(pins.sck, pins.dout);
      const counts = hx711.read(mode);
      if (this.settling > 0) {
        this.settling--;
        return;
      }
      this.batch[this.filled] = counts;
      this.filled++;
      if (this.filled === pins.batch) {
        this.filled = 0;
        const mean = meanOf(this.batch, pins.batch);
        onBatch(this.index, this.batch, pins.batch, this.clock.unwrapMs(whenUs), mean, varianceOf(this.batch, pins.batch, mean), diffSqOf(this.batch, pins.batch));
      }
    });
  }

  stop(): void {
    gpio.trig(this.pins.dout, "none", (): void => {});
    this.filled = 0;
    gpio.write(this.pins.sck, gpio.HIGH);
  }
}
