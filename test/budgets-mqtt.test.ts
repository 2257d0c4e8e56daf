/*
 * Issue #5's budgets: the complete shelf app with MQTT and 4 cells, after boot, on each board,
 * against the board file's budget_mqtt. The figures are printed for docs/footprint.md.
 */
import { describe, expect, it } from "vitest";
import { bootJsVars, calibratedShelfStore } from "../sim/espruino/jsvar-app.ts";
import { loadBoard } from "../tools/build/board-file.ts";
import { BudgetError, compileApp } from "../tools/build/build.ts";

describe("the shelf app on MQTT: budgets after boot", () => {
  it("fits espruino-esp32: JsVars fresh and calibrated within budget_mqtt", async () => {
    const board = loadBoard("espruino-esp32");
    const built = await compileApp(board.id, "shelf", { link: "mqtt" });
    const code = built.files["aisle-shelf.js"];
    const fresh = bootJsVars(code, board.memory.jsvars!);
    const calibrated = bootJsVars(code, board.memory.jsvars!, calibratedShelfStore(4));
    expect(fresh.errors).toEqual([]);
    console.log(`espruino-esp32 shelf on MQTT: ${built.footprint.bundle_bytes} B, ${fresh.usage} JsVars after boot, ${calibrated.usage} calibrated, of ${board.memory.jsvars} (budget ${board.budget_mqtt!.jsvars_after_boot})`);
    expect(built.footprint.jsvars_after_boot).toBe(fresh.usage);
    expect(calibrated.usage).toBeLessThanOrEqual(board.budget_mqtt!.jsvars_after_boot!);
    expect(built.footprint.bundle_bytes).toBeLessThanOrEqual(board.budget_mqtt!.bundle_bytes);
  });

  it("does not fit espruino-esp8266, and the build says so in JsVars", async () => {
    const board = loadBoard("espruino-esp8266");
    const err = await compileApp(board.id, "shelf", { link: "mqtt" }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetError);
    expect((err as Error).message).toMatch(/espruino-esp8266\/shelf on MQTT: (the bundle is \d+ bytes|\d+ JsVars in use after boot), over the board's budget/);
    console.log(`espruino-esp8266 shelf on MQTT: ${(err as Error).message}`);
  });
});
