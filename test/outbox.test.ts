import { describe, expect, it } from "vitest";
import { openOutbox, type Outbox } from "../firmware/core/outbox.ts";
import { TearingStore } from "../sim/devices/tearing-store.ts";

/** What the queue holds, oldest first, by shifting a copy opened on the same flash. */
function contents(store: TearingStore, capacity: number): { messages: string[]; dropped: number } {
  const copy = openOutbox(store.reboot(), capacity);
  const messages: string[] = [];
  while (copy.size() > 0) {
    messages.push(copy.topic() + "|" + copy.payload());
    copy.shift();
  }
  return { messages, dropped: copy.dropped() };
}

describe("Outbox", () => {
  it("gives messages back in order, binary payloads intact, across a reboot", () => {
    const store = new TearingStore();
    const box = openOutbox(store, 8);
    const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    expect(box.push("aisle/v1/d/event", "one")).toBe(true);
    expect(box.push("aisle/v1/d/audit", binary)).toBe(true);
    const again = openOutbox(store.reboot(), 8);
    expect(again.size()).toBe(2);
    expect([again.topic(), again.payload()]).toEqual(["aisle/v1/d/event", "one"]);
    again.shift();
    expect([again.topic(), again.payload()]).toEqual(["aisle/v1/d/audit", binary]);
    again.shift();
    expect(again.size()).toBe(0);
    expect(again.topic()).toBe("");
  });

  it("refuses and counts what does not fit, and the count survives a reboot", () => {
    const store = new TearingStore();
    const box = openOutbox(store, 3);
    for (let i = 0; i < 5; i++) box.push("t", "m" + i);
    expect(box.size()).toBe(3);
    expect(box.dropped()).toBe(2);
    expect(contents(store, 3)).toEqual({ messages: ["t|m0", "t|m1", "t|m2"], dropped: 2 });
    box.shift();
    expect(box.push("t", "m5")).toBe(true);
    expect(contents(store, 3).messages).toEqual(["t|m1", "t|m2", "t|m5"]);
  });

  it("wraps its slots many times over without losing order", () => {
    const store = new TearingStore();
    const box = openOutbox(store, 4);
    const seen: string[] = [];
    for (let i = 0; i < 50; i++) {
      expect(box.push("t", String(i))).toBe(true);
      while (box.size() > i % 4) {
        seen.push(box.payload());
        box.shift();
      }
    }
    while (box.size() > 0) {
      seen.push(box.payload());
      box.shift();
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });

  it("leaves the queue as it was before or after a push or a shift, wherever the power goes", () => {
    const setup = (): TearingStore => {
      const store = new TearingStore();
      const box = openOutbox(store, 4);
      for (let i = 0; i < 3; i++) box.push("aisle/v1/d/event", "payload-" + i + "-".repeat(20));
      box.shift();
      return store.reboot();
    };
    const before = contents(setup(), 4).messages;
    const ops = {
      push: (b: Outbox) => b.push("aisle/v1/d/event", "new-" + "x".repeat(40)),
      shift: (b: Outbox) => b.shift(),
    };
    for (const [name, op] of Object.entries(ops)) {
      const full = setup();
      op(openOutbox(full, 4));
      const after = contents(full, 4).messages;
      expect(after).not.toEqual(before);
      const total = full.steps;
      expect(total).toBeGreaterThan(2);
      const outcomes = new Set<string>();
      for (let cut = 0; cut <= total; cut++) {
        const store = setup();
        store.powerCutAfter(cut);
        op(openOutbox(store, 4));
        const found = contents(store, 4).messages;
        expect([before, after], `${name}, power cut after ${cut} of ${total} steps`).toContainEqual(found);
        outcomes.add(JSON.stringify(found));
        // The queue still works after the cut: a push goes to the end.
        const next = openOutbox(store.reboot(), 4);
        expect(next.push("t", "later")).toBe(true);
      }
      expect(outcomes.size).toBe(2);
    }
  });

  it("ignores an index torn or garbled, keeping the other copy", () => {
    const store = new TearingStore();
    const box = openOutbox(store, 4);
    box.push("t", "a");
    box.push("t", "b");
    const flash = store.reboot();
    const newest = ["ob.a", "ob.b"].sort((x, y) => Number(flash.read(y)!.split(" ")[0]) - Number(flash.read(x)!.split(" ")[0]))[0];
    flash.write(newest, flash.read(newest)!.slice(0, -2));
    expect(contents(flash, 4).messages).toEqual(["t|a"]);
    flash.write(newest, "9 0 99 0 .");
    expect(contents(flash, 4).messages).toEqual(["t|a"]);
  });
});
