/*
 * Store-and-forward: a bounded queue of messages (topic and payload) kept in the Store, so that
 * events made while the broker is away, or before a reboot, still go out, in order. Each message
 * has a record of its own ("ob" + its slot), and an index says which are queued:
 *   gen<SP>head<SP>tail<SP>dropped<SP>.
 * head is the number of the oldest queued message, tail the number the next one gets, dropped
 * the messages refused while full; message k lives in slot k mod capacity. The index goes to two
 * records in turn ("ob.a", "ob.b"), the newer gen winning, so a write torn by a power cut (it
 * lacks the final ".") spoils only the copy being written. A push writes the message's record,
 * then the index; a shift writes the index, then erases the record. A cut anywhere leaves the
 * queue as it was before the call or after it: at worst a delivered message goes again, which
 * the consumer drops by its (boot, seq).
 */
import type { Store } from "../../hal/store";
import { formatInt } from "./format";
import { mod } from "./math";

const INDEX_A = "ob.a";
const INDEX_B = "ob.b";
/** Between topic and payload in a message record: topics never hold a NUL. */
const SEP = "\u0000";

function parseCount(s: string): number {
  const n = Number(s);
  return s.length > 0 && s.length < 16 && n >= 0 && n === Math.floor(n) ? n : -1;
}

export interface Outbox {
  /** Messages queued. */
  size(): number;
  /** Queues a message; false (and counted in dropped) when the queue is full or the Store refused it. */
  push(topic: string, payload: string): boolean;
  /** The oldest queued message's topic; "" when the queue is empty or its record was lost. */
  topic(): string;
  payload(): string;
  /** Drops the oldest message: it has been delivered. */
  shift(): void;
  /** Messages refused because the queue was full, since the device was first set up. */
  dropped(): number;
}

/**
 * The outbox kept in the store, as the index found there says. A plain object over closures
 * rather than a class: on NodeMCU a class costs Lua heap for its class table and prototype, and
 * what only opening it uses (adopt) is not kept (docs/lua-heap.md).
 */
export function openOutbox(store: Store, capacity: number): Outbox {
  let head = 0;
  let tail = 0;
  let dropped = 0;
  let gen = 0;

  /** Takes an index copy if it is whole and newer than what was found so far. */
  function adopt(index: string | undefined): void {
    if (index === undefined) {
      return;
    }
    const parts = index.split(" ");
    if (parts.length !== 5 || parts[4] !== ".") {
      return;
    }
    const g = parseCount(parts[0]);
    const h = parseCount(parts[1]);
    const t = parseCount(parts[2]);
    const d = parseCount(parts[3]);
    if (g > gen && h >= 0 && t >= h && t - h <= capacity && d >= 0) {
      gen = g;
      head = h;
      tail = t;
      dropped = d;
    }
  }
  adopt(store.read(INDEX_A));
  adopt(store.read(INDEX_B));

  function slotName(k: number): string {
    return "ob" + formatInt(mod(k, capacity));
  }

  /* Over the older copy; a trailing "." marks a whole one. A refused write is retried on the same copy, so the newer one is never the one overwritten. */
  function saveIndex(): boolean {
    gen++;
    const ok = store.write(mod(gen, 2) === 0 ? INDEX_A : INDEX_B,
      formatInt(gen) + " " + formatInt(head) + " " + formatInt(tail) + " " + formatInt(dropped) + " .");
    if (!ok) {
      gen--;
    }
    return ok;
  }

  function oldest(): string | undefined {
    if (tail === head) {
      return undefined;
    }
    const r = store.read(slotName(head));
    return r !== undefined && r.indexOf(SEP) > 0 ? r : undefined;
  }

  return {
    size(): number {
      return tail - head;
    },
    push(topic: string, payload: string): boolean {
      if (tail - head >= capacity || !store.write(slotName(tail), topic + SEP + payload)) {
        dropped++;
        saveIndex();
        return false;
      }
      tail++;
      if (!saveIndex()) {
        tail--;
        dropped++;
        return false;
      }
      return true;
    },
    topic(): string {
      const r = oldest();
      return r === undefined ? "" : r.slice(0, r.indexOf(SEP));
    },
    payload(): string {
      const r = oldest();
      return r === undefined ? "" : r.slice(r.indexOf(SEP) + 1);
    },
    shift(): void {
      if (tail === head) {
        return;
      }
      const name = slotName(head);
      head++;
      saveIndex();
      store.erase(name);
    },
    dropped(): number {
      return dropped;
    },
  };
}
