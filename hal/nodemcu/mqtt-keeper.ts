import type { MqttEvents, MqttSession } from "../mqtt-link";
import { afterMs, cancelTimer } from "./timers";

/* The wait before dialling again: doubled after each failure up to the cap, back to the first once up. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 32000;

/**
 * What the NodeMCU links of both chips share: keeping the session up. NodeMCU's client does not
 * reconnect by itself (the ESP8266's cannot; the ESP32's is told not to, so that both behave
 * alike), so after a drop or a failed dial the link waits 1 s, 2 s, 4 s… up to 32 s and dials
 * again. Both platforms report some failures twice (a refused CONNACK: the connect's failure
 * callback, then "offline"): only the first counts, as does nothing after close().
 */
export abstract class MqttKeeper {
  protected session!: MqttSession;
  protected events!: MqttEvents;
  protected up = false;
  protected closed = true;
  private dialing = false;
  private retry = -1;
  private backoffMs = FIRST_BACKOFF_MS;

  /** Makes the client if there is none and asks it to connect; the chip's callbacks then call connected() or dropped(). */
  protected abstract open(session: MqttSession): void;
  /** Closes the client (DISCONNECT if up) and lets it go. */
  protected abstract hangUp(): void;
  /** Forgets the publishes awaiting their PUBACK: after a drop none will come. */
  protected abstract forget(): void;

  connect(session: MqttSession, events: MqttEvents): void {
    if (!this.closed) {
      this.close();
    }
    this.session = session;
    this.events = events;
    this.closed = false;
    this.backoffMs = FIRST_BACKOFF_MS;
    this.dialing = true;
    this.open(this.session);
  }

  isUp(): boolean {
    return this.up;
  }

  close(): void {
    this.closed = true;
    this.up = false;
    this.dialing = false;
    if (this.retry >= 0) {
      cancelTimer(this.retry);
      this.retry = -1;
    }
    this.forget();
    this.hangUp();
  }

  protected connected(): void {
    this.dialing = false;
    this.up = true;
    this.backoffMs = FIRST_BACKOFF_MS;
    this.events.up();
  }

  protected dropped(): void {
    if (!this.up && !this.dialing) {
      return;
    }
    this.up = false;
    this.dialing = false;
    this.forget();
    // A closure made at each drop rather than kept in a field, and no dial() method: in Lua a 17th field would double
    // the ESP8266 link's hash part, and a 9th method the prototype's.
    this.retry = afterMs(this.backoffMs, (): void => {
      this.retry = -1;
      this.dialing = true;
      this.open(this.session);
    });
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.events.down();
  }
}
