import type { Admissions } from "./admissions";
import type { BundleSlot } from "./bundle-slot";
import type { Clock } from "./clock";
import type { DigitalIn, DigitalOut } from "./digital";
import type { Link } from "./link";
import type { LoadCell } from "./load-cell";
import type { Log } from "./log";
import type { Hmac } from "./hmac";
import type { MqttLink } from "./mqtt-link";
import type { Store } from "./store";
import type { System } from "./system";

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

/** A shelf that talks MQTT (docs/mqtt.md): the serial link stays for logs. */
export interface OnlineShelfHal extends ShelfHal {
  mqtt: MqttLink;
  hmac: Hmac;
  system: System;
  /** The second slot bundle updates go through (docs/ota.md), made when one is wanted: NodeMCU loads its code only then. */
  slot: () => BundleSlot;
}

export interface GateLaneIo {
  beamOuter: DigitalIn;
  beamInner: DigitalIn;
  doorClosed: DigitalIn;
  lock: DigitalOut;
  ledGreen: DigitalOut;
  ledRed: DigitalOut;
}

/** A gate's inputs, locks and signals, whatever brings its admissions. */
export interface GateIoHal extends BaseHal {
  lanes: GateLaneIo[];
  emergency: DigitalIn;
  buzzer: DigitalOut;
}

/** The serial gate: admissions typed on the console. */
export interface GateHal extends GateIoHal {
  admissions: Admissions;
}

/** A gate that talks MQTT (docs/mqtt.md): admissions come as signed commands, so it has no Admissions; the serial link stays for logs. */
export interface OnlineGateHal extends GateIoHal {
  mqtt: MqttLink;
  hmac: Hmac;
  system: System;
  /** As the shelf's: the second slot for bundle updates. */
  slot: () => BundleSlot;
}
