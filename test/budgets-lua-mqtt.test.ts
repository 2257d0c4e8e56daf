import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { onlineShelfHeap } from "../sim/runners/lua-heap.ts";
import { loadBoard } from "../tools/build/board-file.ts";

/*
 * The shelf on MQTT on NodeMCU: the Lua heap it holds after boot, measured as the serial shelf's
 * (32-bit Lua 5.1, code in flash as LFS keeps it), within the board's budget_mqtt: on the ESP8266
 * it must leave 30 KB of its heap to a TLS client. docs/lua-heap.md has where the heap goes.
 */

const LUA32 = resolve(".cache/lua5.1-m32");

describe("the shelf on MQTT: Lua heap after boot", () => {
  it("nodemcu-esp8266 on a 32-bit Lua 5.1: boots, dials its broker, and holds no more than budget_mqtt", async () => {
    expect(existsSync(LUA32), "scripts/lua32.sh builds it (setup-debian.sh runs it)").toBe(true);
    const r = await onlineShelfHeap("nodemcu-esp8266", LUA32);
    expect(r.errors).toEqual([]);
    expect(r.lines.some((l) => l.startsWith("I shelf up: 4 cells, 3 lanes, device shelf-1"))).toBe(true);
    expect(r.lines.some((l) => l.startsWith("~mqtt connect 1 "))).toBe(true);
    const budget = loadBoard("nodemcu-esp8266").budget_mqtt!.lua_heap_after_boot_bytes!;
    console.log(`nodemcu-esp8266 shelf on MQTT, 32-bit Lua 5.1: ${r.heapAfterBootBytes} bytes of heap after boot (budget_mqtt ${budget}); its code would take ${r.codeBytes} more in RAM`);
    expect(r.heapAfterBootBytes!).toBeGreaterThan(4096);
    expect(r.heapAfterBootBytes!).toBeLessThanOrEqual(budget);
    expect(budget).toBe(13280);
  });

  it("nodemcu-esp32 on Lua 5.3: boots and dials its broker (64-bit Lua overstates a 32-bit ESP32)", async () => {
    const r = await onlineShelfHeap("nodemcu-esp32");
    expect(r.errors).toEqual([]);
    expect(r.lines.some((l) => l.startsWith("~mqtt connect 1 "))).toBe(true);
    const budget = loadBoard("nodemcu-esp32").budget_mqtt?.lua_heap_after_boot_bytes;
    console.log(`nodemcu-esp32 shelf on MQTT, 64-bit Lua 5.3: ${r.heapAfterBootBytes} bytes of heap after boot (budget_mqtt ${budget})`);
    expect(r.heapAfterBootBytes!).toBeLessThanOrEqual(budget!);
  });
});
