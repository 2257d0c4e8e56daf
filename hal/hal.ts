import type { Clock } from "./clock";
import type { DigitalIn, DigitalOut } from "./digital";
import type { Link } from "./link";
import type { LoadCell } from "./load-cell";
import type { Log } from "./log";
import type { Store } from "./store";

/** What every app gets, whatever the platform. */
export interface BaseHal {
  clock: Clock;
  store: Store;
  link: Link;
  log: Log;
}

export interface ShelfHal extends BaseHal {
  cells: LoadCell[];
}

export interface GateLaneIo {
  beamOuter: DigitalIn;
  beamInner: DigitalIn;
  doorClosed: DigitalIn;
  lock: DigitalOut;
}

export interface GateHal extends BaseHal {
  lanes: GateLaneIo[];
  emergency: DigitalIn;
}
