import { describe, expect, it } from "vitest";
import { Hx711Chip } from "../sim/devices/hx711-chip.ts";

/** Clocks a read out of the chip at its pins: 24 data bits MSB first, then 1–3 gain pulses. */
function read(chip: Hx711Chip, levels: Map<number, number>, pulses: number): number {
  let v = 0;
  for (let i = 0; i < pulses; i++) {
    chip.clock(1);
    if (i < 24) v = v * 2 + (levels.get(chip.dout) ?? 0);
    chip.clock(0);
  }
  return v >= 0x800000 ? v - 0x1000000 : v;
}

describe("the HX711 chip model", () => {
  const make = () => {
    const levels = new Map<number, number>();
    let now = 0;
    const chip = new Hx711Chip(4, 5, (pin, level) => levels.set(pin, level), () => now, 50000);
    return { chip, levels, at: (us: number) => (now = us) };
  };

  it("shifts out 24-bit two's complement, DOUT low when ready and high after the 25th pulse", () => {
    const { chip, levels } = make();
    expect(levels.get(4)).toBe(1);
    chip.convert(-123456);
    expect(levels.get(4)).toBe(0);
    expect(read(chip, levels, 25)).toBe(-123456);
    expect(levels.get(4)).toBe(1);
  });

  it("applies the gain chosen by a read's pulses to the next conversion, not the current one", () => {
    const { chip, levels } = make();
    chip.convert(4000);
    expect(read(chip, levels, 27)).toBe(4000);
    chip.convert(4000);
    expect(read(chip, levels, 26)).toBe(2000);
    chip.convert(4000);
    expect(read(chip, levels, 25)).toBe(1000);
    chip.convert(4000);
    expect(read(chip, levels, 25)).toBe(4000);
  });

  it("powers down when PD_SCK stays high over 60 µs, resets to A/128 and settles when it goes low", () => {
    const { chip, levels, at } = make();
    chip.convert(10);
    read(chip, levels, 27);
    at(1000);
    chip.clock(1);
    at(1050);
    chip.convert(20);
    expect(chip.lost).toBe(0);
    at(1100);
    chip.convert(30);
    expect(chip.lost).toBe(1);
    at(2000);
    chip.clock(0);
    at(40000);
    chip.convert(40);
    expect(chip.lost).toBe(2);
    at(52000);
    chip.convert(800);
    expect(read(chip, levels, 25)).toBe(800);
  });

  it("replaces an unread conversion, pulsing DOUT so a driver waiting for the edge sees one", () => {
    const levels = new Map<number, number>();
    const edges: number[] = [];
    const watched = new Hx711Chip(4, 5, (pin, level) => { levels.set(pin, level); edges.push(level); }, () => 0, 50000);
    watched.convert(1);
    watched.convert(2);
    expect(edges).toEqual([1, 0, 1, 0]);
    expect(watched.overruns).toBe(1);
    expect(read(watched, levels, 25)).toBe(2);
  });

  it("answers a whole SPI read at once exactly as clocking it bit by bit would, gain selection included", () => {
    /** MOSI = PD_SCK, MISO read after each MOSI write: the Espruino port's software SPI. */
    const bitByBit = (chip: Hx711Chip, levels: Map<number, number>, bytes: number[]) =>
      bytes.map((b) => {
        let got = 0;
        for (let bit = 7; bit >= 0; bit--) {
          chip.clock((b >> bit) & 1);
          got |= (levels.get(chip.dout) ?? 0) << bit;
        }
        return got;
      });
    for (const final of [0x80, 0xa0, 0xa8]) {
      for (const counts of [0, 1, -1, 123456, -8388608, 8388607, 0x555555, -0x2aaaaa]) {
        const bytes = [0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, final];
        const a = make();
        const b = make();
        a.chip.convert(counts);
        b.chip.convert(counts);
        expect([...a.chip.transfer(bytes)!]).toEqual(bitByBit(b.chip, b.levels, bytes));
        expect(a.levels.get(4)).toBe(1);
        expect(b.levels.get(4)).toBe(1);
        // The next conversion comes at the gain both reads selected.
        a.chip.convert(4000);
        b.chip.convert(4000);
        expect([...a.chip.transfer(bytes)!]).toEqual(bitByBit(b.chip, b.levels, bytes));
      }
    }
    const idle = make();
    expect(idle.chip.transfer([0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0x80])).toBeUndefined();
    idle.chip.convert(5);
    expect(idle.chip.transfer([0xff, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0x80])).toBeUndefined();
  });
});
