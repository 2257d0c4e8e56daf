/**
 * One HX711 channel. The port does the bit-level work natively (Espruino SPI, NodeMCU's hx711
 * C module) and hands on batches, so interpreted code runs once a batch, not once a bit.
 *
 * counts[0..n-1] are raw signed 24-bit conversions, oldest first; tLastMs is the clock time at
 * which the last of them became ready. The array is reused by the port: copy what you keep.
 */
export type SampleBatchHandler = (counts: number[], n: number, tLastMs: number) => void;

export interface LoadCell {
  start(onBatch: SampleBatchHandler): void;
  stop(): void;
}
