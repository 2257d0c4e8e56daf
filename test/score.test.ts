import { describe, expect, it } from "vitest";
import { scoreEvents, type DetectedEvent } from "../sim/score.ts";
import { parseTruth } from "../sim/trace/truth.ts";

const pick = (t_ms: number, extra: Partial<DetectedEvent> = {}): DetectedEvent => ({ type: "pick", lane: "A1", t_ms, grams: -352, count: 1, ...extra });
const truth = (lines: object[], kind: "shelf" | "gate" = "shelf") => parseTruth(lines.map((l) => JSON.stringify(l)).join("\n"), "t.truth.jsonl", kind);

describe("scoring by trace-format.md", () => {
  const one = truth([{ type: "pick", lane: "A1", t_start_ms: 10000, t_end_ms: 11000, grams: -350, count: 1 }]);

  it("matches inside [t_start - 1000, t_end + 3000] and not outside", () => {
    expect(scoreEvents("shelf", [pick(9000)], one).matched).toBe(1);
    expect(scoreEvents("shelf", [pick(14000)], one).matched).toBe(1);
    expect(scoreEvents("shelf", [pick(8999)], one).matched).toBe(0);
    expect(scoreEvents("shelf", [pick(14001)], one).matched).toBe(0);
  });

  it("needs the same type and lane", () => {
    expect(scoreEvents("shelf", [pick(10500, { type: "put" })], one).matched).toBe(0);
    expect(scoreEvents("shelf", [pick(10500, { lane: "B1" })], one).matched).toBe(0);
  });

  it("matches one to one, earliest first, and counts the rest as phantoms", () => {
    const s = scoreEvents("shelf", [pick(12000), pick(10500)], one);
    expect(s.matched).toBe(1);
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(1);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
    expect(s.phantoms.map((p) => p.t_ms)).toEqual([12000]);
  });

  it("gives count accuracy and grams error over matched events", () => {
    const two = truth([
      { type: "pick", lane: "A1", t_start_ms: 0, t_end_ms: 500, grams: -350, count: 1 },
      { type: "pick", lane: "A1", t_start_ms: 5000, t_end_ms: 5500, grams: -700, count: 2 },
    ]);
    const s = scoreEvents("shelf", [pick(1000, { grams: -352 }), pick(6000, { grams: -696, count: 1 })], two);
    expect(s.count_accuracy).toBe(0.5);
    expect(s.grams_mae).toBeCloseTo(3, 12);
    expect(s.wrongCounts).toHaveLength(1);
  });

  it("leaves count accuracy and grams error null when the truth does not know them", () => {
    const s = scoreEvents("shelf", [pick(10500)], truth([{ type: "pick", lane: "A1", t_start_ms: 10000, t_end_ms: 11000 }]));
    expect(s.f1).toBe(1);
    expect(s.count_accuracy).toBeNull();
    expect(s.grams_mae).toBeNull();
  });

  it("uses the ±1500 ms window for gates and reports misses", () => {
    const g = truth([{ type: "entry", lane: "G1", t_ms: 5000 }, { type: "exit", lane: "G1", t_ms: 9000 }], "gate");
    const s = scoreEvents("gate", [{ type: "entry", lane: "G1", t_ms: 6500 }, { type: "exit", lane: "G1", t_ms: 10501 }], g);
    expect(s.matched).toBe(1);
    expect(s.misses.map((m) => m.type)).toEqual(["exit"]);
  });

  it("scores an empty replay of an empty truth as perfect, and nothing detected as F1 0", () => {
    expect(scoreEvents("shelf", [], []).f1).toBe(1);
    const s = scoreEvents("shelf", [], one);
    expect([s.precision, s.recall, s.f1]).toEqual([1, 0, 0]);
  });

  it("rejects malformed truth lines with file and line", () => {
    expect(() => parseTruth('{"type":"pick","lane":"A1","t_start_ms":1,"t_end_ms":2}\nnot json', "x.truth.jsonl", "shelf")).toThrow(/^x.truth.jsonl:2: not a JSON object/);
    expect(() => parseTruth('{"type":"grab","lane":"A1","t_start_ms":1,"t_end_ms":2}', "x.truth.jsonl", "shelf")).toThrow(/x.truth.jsonl:1: type must be one of pick, put/);
    expect(() => parseTruth('{"type":"pick","lane":"A1","t_start_ms":5,"t_end_ms":2}', "x.truth.jsonl", "shelf")).toThrow(/t_end_ms is before t_start_ms/);
    expect(() => parseTruth('{"type":"entry","lane":"G1"}', "x.truth.jsonl", "gate")).toThrow(/t_ms is required/);
  });
});
