/*
 * The gate on MQTT, after boot, on each board against its budget_mqtt (docs/footprint.md,
 * docs/lua-heap.md): espruino-esp32 within it; espruino-esp8266 refused by the build, as the
 * shelf on MQTT is; nodemcu-esp8266 within it, beside the 30 KB of heap it keeps for TLS;
 * NodeMCU's Lua heap measured as the shelf's (32-bit Lua 5.1, code in flash).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { bootJsVars } from "../sim/espruino/jsvar-app.ts";
import { onlineGateHeap } from "../sim/runners/lua-heap.ts";
import { loadBoard } from "../tools/build/board-file.ts";
import { BudgetError, compileApp } from "../tools/build/build.ts";

const LUA32 = resolve(".cache/lua5.1-m32");

describe("the gate app on MQTT: budgets after boot", () => {
  it("fits espruino-esp32: JsVars after boot within budget_mqtt", async () => {
    const board = loadBoard("espruino-esp32");
    const built = await compileApp(board.id, "gate", { link: "mqtt" });
    const fresh = bootJsVars(built.files["aisle-gate.js"], board.memory.jsvars!);
    expect(fresh.errors).toEqual([]);
    console.log(`espruino-esp32 gate on MQTT: ${built.footprint.bundle_bytes} B, ${fresh.usage} JsVars after boot of ${board.memory.jsvars} (budget ${board.budget_mqtt!.jsvars_after_boot}); most held by ${JSON.stringify(fresh.top.slice(0, 4))}`);
    expect(built.footprint.jsvars_after_boot).toBe(fresh.usage);
    expect(fresh.usage).toBeLessThanOrEqual(board.budget_mqtt!.jsvars_after_boot!);
    expect(built.footprint.bundle_bytes).toBeLessThanOrEqual(board.budget_mqtt!.bundle_bytes);
  });

  it("does not fit espruino-esp8266, and the build says so in JsVars", async () => {
    const err = await compileApp("espruino-esp8266", "gate", { link: "mqtt" }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetError);
    expect((err as Error).message).toMatch(/espruino-esp8266\/gate on MQTT: \d+ JsVars in use after boot, over the board's budget of 1400 \(budget_mqtt.jsvars_after_boot/);
    console.log(`espruino-esp8266 gate on MQTT: ${(err as Error).message}`);
  });

  it("fits nodemcu-esp8266 on a 32-bit Lua 5.1 beside a TLS client: boots, dials its broker, within budget_mqtt", async () => {
    expect(existsSync(LUA32), "scripts/lua32.sh builds it (setup-debian.sh runs it)").toBe(true);
    const r = await onlineGateHeap("nodemcu-esp8266", LUA32);
    expect(r.errors).toEqual([]);
    expect(r.lines).toContain("I gate up: 1 lanes, device gate-1 boot 1");
    expect(r.lines.some((l) => l.startsWith("~mqtt connect 1 "))).toBe(true);
    const budget = loadBoard("nodemcu-esp8266").budget_mqtt!.lua_heap_after_boot_bytes!;
    console.log(`nodemcu-esp8266 gate on MQTT, 32-bit Lua 5.1: ${r.heapAfterBootBytes} bytes of heap after boot (budget_mqtt ${budget}); its code would take ${r.codeBytes} more in RAM`);
    expect(r.heapAfterBootBytes!).toBeGreaterThan(4096);
    expect(r.heapAfterBootBytes!).toBeLessThanOrEqual(budget);
  });

  it("nodemcu-esp32 on Lua 5.3: boots and dials its broker within budget_mqtt (64-bit Lua overstates a 32-bit ESP32)", async () => {
    const r = await onlineGateHeap("nodemcu-esp32");
    expect(r.errors).toEqual([]);
    expect(r.lines.some((l) => l.startsWith("~mqtt connect 1 "))).toBe(true);
    const budget = loadBoard("nodemcu-esp32").budget_mqtt!.lua_heap_after_boot_bytes!;
    console.log(`nodemcu-esp32 gate on MQTT, 64-bit Lua 5.3: ${r.heapAfterBootBytes} bytes of heap after boot (budget_mqtt ${budget})`);
    expect(r.heapAfterBootBytes!).toBeLessThanOrEqual(budget);
  });
});
