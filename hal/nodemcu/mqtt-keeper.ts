import type { MqttEvents, MqttLink, MqttSession } from "../mqtt-link";
import { afterMs, cancelTimer } from "./timers";

/* The wait before dialling again: doubled after each failure up to the cap, back to the first once up. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 32000;

/* Where the session is: closed (before connect(), after close()), dialling, up, or waiting to dial again after a drop. */
const CLOSED = 0;
const DIALING = 1;
const UP = 2;
const WAITING = 3;

/** What the keeper asks of a chip's link (MqttDialer). */
export const enum Dial {
  /** Make a client for the session and dial; the chip's callbacks then call the keeper's connected() or dropped(). */
  OPEN = 0,
  /** Dial again with the client OPEN made. */
  AGAIN = 1,
  /** Close the client (DISCONNECT if up) and let it go. */
  HANG_UP = 2,
  /** Forget the publishes awaiting their PUBACK: after a drop none will come. */
  FORGET = 3,
}

/** A chip's link, for the keeper: one function rather than an object of four (a table and three closures less in NodeMCU's heap). session is given with OPEN only. */
export type MqttDialer = (what: Dial, session: MqttSession | undefined) => void;

/**
 * The session as the keeper keeps it, and the chip's link as the app sees it: one object (one
 * table in NodeMCU's heap), the link's publish and subscribe beside the keeper's connect, isUp
 * and close, and what the chip's callbacks tell the keeper.
 */
export interface MqttKeeper extends MqttLink {
  /** The chip's client connected. */
  connected(): void;
  /** The chip's client dropped, or could not connect. */
  dropped(): void;
  /** Where the session's news goes: the events connect() was given. */
  events(): MqttEvents;
}

/**
 * What the NodeMCU links of both chips share: keeping the session up. NodeMCU's client does not
 * reconnect by itself (the ESP8266's cannot; the ESP32's is told not to, so that both behave
 * alike), so after a drop or a failed dial the link waits 1 s, 2 s, 4 s… up to 32 s and dials
 * again. Both platforms report some failures twice (a refused CONNACK: the connect's failure
 * callback, then "offline"): only the first counts, as does nothing after close().
 *
 * A plain object over closures, as are the links, rather than a class hierarchy: on NodeMCU each
 * class costs Lua heap for its class table and prototype (docs/lua-heap.md). The session is not
 * kept: the dialer keeps what it dials again with. publish and subscribe are the link's, on the
 * same object.
 */
export function mqttKeeper(dial: MqttDialer, publish: (topic: string, payload: string, qos: number, retain: boolean) => number, subscribe: (topic: string) => void): MqttKeeper {
  let events: MqttEvents | undefined = undefined;
  let state = CLOSED;
  let retry = -1;
  let backoffMs = FIRST_BACKOFF_MS;

  function close(): void {
    state = CLOSED;
    if (retry >= 0) {
      cancelTimer(retry);
      retry = -1;
    }
    dial(Dial.FORGET, undefined);
    dial(Dial.HANG_UP, undefined);
  }

  /* Only the chip's callbacks ask, and only a connect() makes a client whose callbacks come. */
  function current(): MqttEvents {
    return events!;
  }

  return {
    connect(session: MqttSession, e: MqttEvents): void {
      if (state !== CLOSED) {
        close();
      }
      events = e;
      backoffMs = FIRST_BACKOFF_MS;
      state = DIALING;
      dial(Dial.OPEN, session);
    },
    isUp(): boolean {
      return state === UP;
    },
    close: close,
    connected(): void {
      state = UP;
      backoffMs = FIRST_BACKOFF_MS;
      current().up();
    },
    dropped(): void {
      if (state !== UP && state !== DIALING) {
        return;
      }
      state = WAITING;
      dial(Dial.FORGET, undefined);
      retry = afterMs(backoffMs, (): void => {
        retry = -1;
        state = DIALING;
        dial(Dial.AGAIN, undefined);
      });
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      current().down();
    },
    events: current,
    publish: publish,
    subscribe: subscribe,
  };
}
