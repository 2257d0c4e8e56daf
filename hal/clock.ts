/** The only source of time the firmware has. Ports unwrap hardware counters, so nowMs never goes back. */
export interface Clock {
  /** Milliseconds since boot. */
  nowMs(): number;
  /** Calls fn every periodMs until cancelled; returns a handle for cancel. */
  every(periodMs: number, fn: () => void): number;
  /** Calls fn once after delayMs; returns a handle for cancel. */
  after(delayMs: number, fn: () => void): number;
  cancel(handle: number): void;
}
