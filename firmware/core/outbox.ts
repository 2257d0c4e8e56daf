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

export class Outbox {
  private head = 0;
  private tail = 0;
  /** Messages refused because the queue was full, since the device was first set up. */
  dropped = 0;

  private gen = 0;

  constructor(private readonly store: Store, private readonly capacity: number) {
    this.adopt(store.read(INDEX_A));
    this.adopt(store.read(INDEX_B));
  }

  /** Takes an index copy if it is whole and newer than what was found so far. */
  private adopt(index: string | undefined): void {
    if (index === undefined) {
      return;
    }
    const parts = index.split(" ");
    if (parts.length !== 5 || parts[4] !== ".") {
      return;
    }
    const gen = parseCount(parts[0]);
    const head = parseCount(parts[1]);
    const tail = parseCount(parts[2]);
    const dropped = parseCount(parts[3]);
    if (gen > this.gen && head >= 0 && tail >= head && tail - head <= this.capacity && dropped >= 0) {
      this.gen = gen;
      this.head = head;
      this.tail = tail;
      this.dropped = dropped;
    }
  }

  size(): number {
    return this.tail - this.head;
  }

  /** Queues a message; false (and counted in dropped) when the queue is full or the Store refused it. */
  push(topic: string, payload: string): boolean {
    if (this.size() >= this.capacity || !this.store.write(this.slotName(this.tail), topic + SEP + payload)) {
      this.dropped++;
      this.saveIndex();
      return false;
    }
    this.tail++;
    if (!this.saveIndex()) {
      this.tail--;
      this.dropped++;
      return false;
    }
    return true;
  }

  /** The oldest queued message's topic; "" when the queue is empty or its record was lost. */
  topic(): string {
    const r = this.oldest();
    return r === undefined ? "" : r.slice(0, r.indexOf(SEP));
  }

  payload(): string {
    const r = this.oldest();
    return r === undefined ? "" : r.slice(r.indexOf(SEP) + 1);
  }

  /** Drops the oldest message: it has been delivered. */
  shift(): void {
    if (this.size() === 0) {
      return;
    }
    const name = this.slotName(this.head);
    this.head++;
    this.saveIndex();
    this.store.erase(name);
  }

  private oldest(): string | undefined {
    if (this.size() === 0) {
      return undefined;
    }
    const r = this.store.read(this.slotName(this.head));
    return r !== undefined && r.indexOf(SEP) > 0 ? r : undefined;
  }

  private slotName(k: number): string {
    return "ob" + formatInt(mod(k, this.capacity));
  }

  /* Over the older copy; a trailing "." marks a whole one. A refused write is retried on the same copy, so the newer one is never the one overwritten. */
  private saveIndex(): boolean {
    this.gen++;
    const ok = this.store.write(mod(this.gen, 2) === 0 ? INDEX_A : INDEX_B,
      formatInt(this.gen) + " " + formatInt(this.head) + " " + formatInt(this.tail) + " " + formatInt(this.dropped) + " .");
    if (!ok) {
      this.gen--;
    }
    return ok;
  }
}
