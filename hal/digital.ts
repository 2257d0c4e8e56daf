/** A debounced digital input. level is the electrical level; what it means is the app's business. */
export interface DigitalIn {
  read(): boolean;
  /** Calls onChange on every settled change, with the clock time of the edge. */
  watch(onChange: (level: boolean, tMs: number) => void): void;
}

export interface DigitalOut {
  write(level: boolean): void;
}
