import type { MqttEvents, MqttSession } from "../mqtt-link";
import { afterMs, cancelTimer } from "./timers";

/* The wait before dialling again: doubled after each failure up to the cap, back to the first once up. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 32000;

/* Where the session is: closed (before connect(), after close()), dialling, up, or waiting to dial again after a drop. */
const CLOSED = 0;
const DIALING = 1;
const UP = 2;
const WAITING = 3;

/** What a chip's link does for the keeper. */
export interface MqttDialer {
  /** Makes a client for the session and dials; the chip's callbacks then call the keeper's connected() or dropped(). */
  open(session: MqttSession): void;
  /** Dials again with the client open() made. */
  redial(): void;
  /** Closes the client (DISCONNECT if up) and lets it go. */
  hangUp(): void;
  /** Forgets the publishes awaiting their PUBACK: after a drop none will come. */
  forget(): void;
}

/** The session as the keeper keeps it: the link's connect, isUp and close, and what the chip's callbacks tell it. */
export interface MqttKeeper {
  connect(session: MqttSession, events: MqttEvents): void;
  isUp(): boolean;
  close(): void;
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
 * class costs Lua heap for its class table and prototype, and the link's object had sixteen
 * fields, doubling its hash part (docs/lua-heap.md). The session is not kept: the dialer keeps
 * what it dials again with.
 */
export function mqttKeeper(dialer: MqttDialer): MqttKeeper {
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
    dialer.forget();
    dialer.hangUp();
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
      dialer.open(session);
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
      dialer.forget();
      retry = afterMs(backoffMs, (): void => {
        retry = -1;
        state = DIALING;
        dialer.redial();
      });
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      current().down();
    },
    events: current,
  };
}
