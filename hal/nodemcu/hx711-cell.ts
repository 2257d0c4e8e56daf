import type { CellPins } from "../board";
import { SETTLING_CONVERSIONS, type LoadCell, type SampleBatchHandler } from "../load-cell";
import { mod } from "../../firmware/core/math";
import { diffSqOf, meanOf, varianceOf } from "./batch-stats";
import { unwrapMs } from "./clock";

/* NodeMCU's hx711 mode for the clock pulses that select it (HX711 datasheet, Table 3): 25 → 0 (A/128), 26 → 1 (B/32), 27 → 2 (A/64). */
function modeFor(gainPulses: number): number {
  return gainPulses === 27 ? 2 : gainPulses === 26 ? 1 : 0;
}

function signed24(b0: number, b1: number, b2: number): number {
  const raw = b0 + b1 * 256 + b2 * 65536;
  return raw >= 8388608 ? raw - 16777216 : raw;
}

/*
 * Each cell is a plain object over closures rather than a class instance (docs/lua-heap.md): once
 * started, what a cell holds in the Lua heap is its callback, the numbers it captured and its
 * batch, not an object, a prototype and the board's pin table.
 */

/**
 * A board with one cell uses hx711.start: the C module reads each conversion on its DOUT
 * interrupt and calls back once a batch, so Lua runs once per batch.
 */
export function nodemcuHx711Batch(pins: CellPins, index: number): LoadCell {
  const sck = pins.sck;
  const size = pins.batch;
  const mode = modeFor(pins.gainPulses);
  const batch: number[] = [];
  hx711.init(sck, pins.dout);
  for (let i = 0; i < size; i++) {
    batch.push(0);
  }
  return {
    /* The conversions made while the chip settles after wake-up come as one batch of their own, dropped; then the real batches start. */
    start(onBatch: SampleBatchHandler): void {
      gpio.write(sck, gpio.LOW);
      hx711.start(mode, SETTLING_CONVERSIONS, (): void => {
        hx711.start(mode, size, (s: string, tUs: number): void => {
          const n = Math.floor(s.length / 3);
          for (let i = 0; i < n; i++) {
            batch[i] = signed24(s.charCodeAt(3 * i), s.charCodeAt(3 * i + 1), s.charCodeAt(3 * i + 2));
          }
          // The module stamps with all 32 bits of system_get_time(); tmr.now() keeps 31: fold into its domain.
          const mean = meanOf(batch, n);
          onBatch(index, batch, n, unwrapMs(mod(tUs, 2147483648)), mean, varianceOf(batch, n, mean), diffSqOf(batch, n));
        });
      });
    },
    stop(): void {
      hx711.stop();
      gpio.write(sck, gpio.HIGH);
    },
  };
}

/*
 * A polled cell's state, in one array (its slots below) that its DOUT callback alone holds: on
 * NodeMCU each number a closure captures is an upvalue of 24 bytes, an array slot is 12.
 */
const enum Polled {
  BATCH = 0,
  ON_BATCH = 1,
  DOUT = 2,
  SCK = 3,
  MODE = 4,
  INDEX = 5,
  /** Conversions still to drop while the chip settles, and how many of the batch are filled. */
  SETTLING = 6,
  FILLED = 7,
}

type PolledCell = [number[], SampleBatchHandler, number, number, number, number, number, number];

/* A falling DOUT: the chip has a conversion ready, or a data bit went by (DOUT is high again by now). */
function poll(c: PolledCell, whenUs: number): void {
  if (gpio.read(c[Polled.DOUT]) !== 0) {
    return;
  }
  hx711.init(c[Polled.SCK], c[Polled.DOUT]);
  const counts = hx711.read(c[Polled.MODE]);
  if (c[Polled.SETTLING] > 0) {
    c[Polled.SETTLING]--;
    return;
  }
  const batch = c[Polled.BATCH];
  batch[c[Polled.FILLED]] = counts;
  c[Polled.FILLED]++;
  if (c[Polled.FILLED] === batch.length) {
    c[Polled.FILLED] = 0;
    const mean = meanOf(batch, batch.length);
    c[Polled.ON_BATCH](c[Polled.INDEX], batch, batch.length, unwrapMs(whenUs), mean, varianceOf(batch, batch.length, mean), diffSqOf(batch, batch.length));
  }
}

/**
 * hx711.start serves one chip, so a board with several cells watches each DOUT with gpio.trig
 * and, when it falls, points the module at that chip (hx711.init) and reads one conversion.
 */
export function nodemcuHx711Polled(pins: CellPins, index: number): LoadCell {
  const dout = pins.dout;
  const sck = pins.sck;
  const batch: number[] = [];
  gpio.mode(dout, gpio.INT);
  gpio.mode(sck, gpio.OUTPUT);
  gpio.write(sck, gpio.LOW);
  for (let i = 0; i < pins.batch; i++) {
    batch.push(0);
  }
  return {
    start(onBatch: SampleBatchHandler): void {
      const c: PolledCell = [batch, onBatch, dout, sck, modeFor(pins.gainPulses), index, SETTLING_CONVERSIONS, 0];
      gpio.write(sck, gpio.LOW);
      gpio.trig(dout, "down", (level: number, whenUs: number): void => poll(c, whenUs));
    },
    stop(): void {
      gpio.trig(dout, "none", (): void => {});
      gpio.write(sck, gpio.HIGH);
    },
  };
}
