import { describe, expect, it } from "vitest";
import { attribute, type EpisodeLane } from "../firmware/core/episode.ts";

/** Lanes in this order along the shelf. */
const shelf = (...lanes: { unitG: number; grams: number }[]): EpisodeLane[] => lanes.map((l, i) => ({ ...l, place: i }));

describe("episode attribution", () => {
  it("gives whole items to each lane so that together they explain the shelf's exact sum", () => {
    // A 6 kg soap pick leaks 186 g off its plate onto the gum lane beside it, where one gum was picked.
    const a = attribute(shelf({ unitG: 2065, grams: -6195 + 186 }, { unitG: 31.5, grams: -31.5 - 186 }));
    expect(a.counts).toEqual([-3, -1]);
    expect(a.grams[0]).toBeCloseTo(-6195, 6);
    expect(a.grams[1]).toBeCloseTo(-31.5, 6);
    expect(a.confidence).toBeCloseTo(1, 6);
  });

  it("prefers fewer moving lanes when two explanations fit the sum equally", () => {
    // 157.5 g is one crisps packet or five gums: a soap put leaked onto both, and nothing else moved.
    const a = attribute(shelf({ unitG: 157.5, grams: 65.7 }, { unitG: 2065, grams: 1935.9 }, { unitG: 31.5, grams: 185.2 }, { unitG: 1012, grams: 2914.7 }));
    expect(a.counts).toEqual([0, 1, 0, 3]);
  });

  it("takes a big change beside a moving lane for leakage, and the same change far from any for items", () => {
    // Three juices put on D leak 166 g onto C (gum, 31.5 g) beside it; one crisps packet (157.5 g,
    // as much as five gums) is put on A at the other end. Five gums on C would fit the sum as well.
    const lanes = shelf({ unitG: 157.5, grams: 151.9 }, { unitG: 352, grams: 4.9 }, { unitG: 31.5, grams: 166.4 }, { unitG: 1580, grams: 4573.5 });
    expect(attribute(lanes).counts).toEqual([1, 0, 0, 3]);
    // The same numbers with the gum lane away from the juice: now nothing could have leaked 166 g onto it.
    const apart = [lanes[2], lanes[1], lanes[0], lanes[3]].map((l, i) => ({ ...l, place: i }));
    expect(attribute(apart).counts).toEqual([5, 0, 0, 3]);
  });

  it("hands leakage back to the lane that moved when no lane has a unit weight", () => {
    // A 352 g pick, 9 g and 8 g of it read by the neighbours instead.
    const a = attribute(shelf({ unitG: 0, grams: -352 + 17 }, { unitG: 0, grams: -9 }, { unitG: 0, grams: -8 }));
    expect(a.grams[0]).toBeCloseTo(-352, 6);
    expect(Math.abs(a.grams[1])).toBeLessThan(1e-9);
    expect(Math.abs(a.grams[2])).toBeLessThan(1e-9);
  });

  it("keeps two real changes apart when no lane has a unit weight", () => {
    const a = attribute(shelf({ unitG: 0, grams: -500 }, { unitG: 0, grams: 300 }));
    expect(a.grams).toEqual([-500, 300]);
  });
});
