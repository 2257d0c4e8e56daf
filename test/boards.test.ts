import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BoardError, boardConstants, boardIds, loadBoard, parseBoard } from "../tools/build/board-file.ts";

const base = JSON.parse(readFileSync("boards/nodemcu-esp8266.json", "utf8"));
const variant = (change: (b: Record<string, any>) => void) => {
  const b = structuredClone(base);
  change(b);
  return JSON.stringify(b);
};
const problemsOf = (text: string, file = "/work/main/boards/nodemcu-esp8266.json") => {
  try {
    parseBoard(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(BoardError);
    return (e as BoardError).problems;
  }
  throw new Error("the board was accepted");
};

describe("boards as data", () => {
  it("has the four boards the issue names, and each one checks", () => {
    expect(boardIds()).toEqual(expect.arrayContaining(["espruino-esp32", "espruino-esp8266", "nodemcu-esp8266", "nodemcu-esp32"]));
    for (const id of boardIds()) {
      const b = loadBoard(id);
      expect(b.id).toBe(id);
      expect(b.shelf.cells.length).toBeGreaterThan(0);
      expect(b.shelf.cells.length).toBeLessThanOrEqual(4);
    }
    expect(loadBoard("nodemcu-esp8266").lua).toBe("5.1");
    expect(loadBoard("nodemcu-esp32").lua).toBe("5.3");
  });

  it("turns a board into the constants a bundle carries", () => {
    const c = boardConstants(loadBoard("espruino-esp8266"), { deviceId: "shelf-7" });
    expect(c.deviceId).toBe("shelf-7");
    expect(c.cells[0]).toEqual({ dout: 4, sck: 14, gainPulses: 25, rateSps: 80, batch: 8 });
    const wide = boardConstants(loadBoard("espruino-esp8266"), { cells: 6 });
    expect(wide.cells).toHaveLength(6);
    expect(new Set(wide.cells.flatMap((x) => [x.dout, x.sck])).size).toBe(12);
  });

  it("reports every schema problem at once, with its JSON path", () => {
    const p = problemsOf(variant((b) => {
      delete b.lua;
      b.shelf.cells[0].gain = "A100";
      b.shelf.cells[1].rate_sps = 20;
      b.colour = "blue";
    }));
    expect(p).toEqual(expect.arrayContaining([
      '(top level): missing "lua"',
      '/shelf/cells/0/gain: must be one of "A128", "B32", "A64"',
      "/shelf/cells/1/rate_sps: must be one of 10, 80",
      '(top level): unknown key "colour"',
    ]));
  });

  it("rejects a fifth cell, a pin out of range and a Lua version on Espruino", () => {
    expect(problemsOf(variant((b) => b.shelf.cells.push({ dout: 8, sck: 9, gain: "A128", rate_sps: 10 })))).toContain("/shelf/cells: must NOT have more than 4 items");
    expect(problemsOf(variant((b) => (b.gate.emergency = 40)))).toContain("/gate/emergency: must be <= 39");
    expect(problemsOf(variant((b) => (b.platform = "espruino")))[0]).toMatch(/must NOT be valid|jsvars/);
  });

  it("rejects a pin used twice and a DOUT without an interrupt", () => {
    expect(problemsOf(variant((b) => (b.shelf.cells[1].sck = b.shelf.cells[0].dout)))).toContain("/shelf: pin 1 is used by both cells/0/dout and cells/1/sck");
    expect(problemsOf(variant((b) => (b.shelf.cells[0].dout = 0)))).toEqual(expect.arrayContaining(["/shelf/cells/0/dout: pin 0 has no interrupt on the ESP8266, so data-ready cannot be watched"]));
  });

  it("wants the gate's lights and buzzer, each on a pin of its own that can drive", () => {
    expect(problemsOf(variant((b) => {
      delete b.gate.lanes[0].led_red;
      delete b.gate.buzzer;
    }))).toEqual(expect.arrayContaining(['/gate/lanes/0: missing "led_red"', '/gate: missing "buzzer"']));
    expect(problemsOf(variant((b) => (b.gate.buzzer = b.gate.lanes[0].led_green)))).toContain("/gate: pin 8 is used by both lanes/0/led_green and buzzer");
    // D0 has no interrupt on the ESP8266, but an output needs none: the board file's buzzer is there.
    expect(loadBoard("nodemcu-esp8266").gate.buzzer).toBe(0);
    const esp32 = JSON.parse(readFileSync("boards/espruino-esp32.json", "utf8"));
    esp32.gate.lanes[0].led_red = 35;
    expect(problemsOf(JSON.stringify(esp32), "/work/main/boards/espruino-esp32.json")).toEqual(["/gate/lanes/0/led_red: GPIO 35 is an input only on the ESP32, so it cannot be an output"]);
    const wide = boardConstants(loadBoard("espruino-esp32"), { gateLanes: 3 });
    expect(wide.gateLanes[0]).toMatchObject({ lock: 14, ledGreen: 33, ledRed: 15 });
    expect(new Set(wide.gateLanes.flatMap((l) => [l.beamOuter, l.beamInner, l.doorClosed, l.lock, l.ledGreen, l.ledRed])).size).toBe(18);
  });

  it("rejects a board whose id is not its file name, and broken JSON", () => {
    expect(problemsOf(readFileSync("boards/nodemcu-esp8266.json", "utf8"), "/work/main/boards/other.json")).toEqual(['/id: "nodemcu-esp8266" must equal the file name "other"']);
    expect(problemsOf("{ not json")[0]).toMatch(/^not valid JSON/);
    expect(() => loadBoard("nope")).toThrow(/boards\/nope.json: no such board; known boards: espruino-esp32/);
  });
});
