/**
 * One HX711 channel. The port does the bit-level work natively (Espruino SPI, NodeMCU's hx711
 * C module) and hands on batches, so interpreted code runs once a batch, not once a bit.
 *
 * cell is the channel's index on the board (one handler can serve every cell: on Espruino a
 * closure per cell costs JsVars); counts[0..n-1] are raw signed 24-bit conversions, oldest first;
 * tLastMs is the clock time at which the last of them became ready. mean and variance (the mean
 * squared difference from the mean) are the batch's, in counts, and diffSq the sum of the squared
 * steps between successive samples, (counts[i+1] − counts[i])² for i < n − 1: the noise measure
 * that a slow drift or sway does not inflate. The port computes them with the platform's native
 * batch maths where it has some (Espruino E.sum, E.variance, E.convolve), so that the firmware
 * need not look at every sample of a quiet batch. The array is reused by the port: copy what you
 * keep.
 */
export type SampleBatchHandler = (cell: number, counts: number[], n: number, tLastMs: number, mean: number, variance: number, diffSq: number) => void;

/**
 * start() wakes the chip (PD_SCK low) and drops the conversions made while it settles; stop()
 * powers it down (PD_SCK held high for more than 60 µs), which also resets it to A/128.
 */
export interface LoadCell {
  start(onBatch: SampleBatchHandler): void;
  stop(): void;
}

/** HX711 output settling time is 50 ms at 80 SPS and 400 ms at 10 SPS: four conversions (datasheet, "Output settling time"). */
export const SETTLING_CONVERSIONS = 4;
