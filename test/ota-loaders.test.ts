/*
 * The boot loaders of bundle updates (tools/build/ota-loaders.ts) on the virtual boards, with tiny
 * stand-in bundles: Espruino's .boot0 (before .bootcde, on the Espruino board's restarts) and
 * NodeMCU's init.lua (under lua5.1 as the ESP8266, lua5.3 as the ESP32, its node.restart()
 * booting the next board on the files the last one left). The switch, a bundle that confirms,
 * one that never does (the deadline), one that fails at boot, one whose board restarts on trial,
 * and power cuts in the middle of the switch.
 */
import { describe, expect, it } from "vitest";
import { EspruinoBoard } from "../sim/espruino/espruino-board.ts";
import { runLuaBoard } from "../sim/nodemcu/lua-board.ts";
import { espruinoBoot0, otaInitLua } from "../tools/build/ota-loaders.ts";

const TRIAL_US = 60_000_000;

describe("Espruino's .boot0", () => {
  function board(files: Record<string, string>): { b: EspruinoBoard; lines: string[]; storage: Map<string, string> } {
    const storage = new Map(Object.entries({ ".boot0": espruinoBoot0(), ...files }));
    const lines: string[] = [];
    const b = new EspruinoBoard({ code: "load();", filename: "boot.js", mode: "vm", storage, onLine: (l) => lines.push(l) });
    b.boot();
    return { b, lines, storage };
  }
  const OLD = 'print("I old");';
  const NEW = 'print("I new");';

  it("switches to the checked slot before .bootcde runs, and rolls back at the deadline when it is not confirmed", () => {
    const { b, lines, storage } = board({ ".bootcde": OLD, "ota.new": NEW, "ota.t": "s v2", "aisle.v": "shelf-1234" });
    expect(lines).toEqual(["I new"]);
    expect(storage.get(".bootcde")).toBe(NEW);
    expect(storage.get("ota.old")).toBe(OLD);
    expect(storage.get("ota.t")).toBe("r v2");
    expect(storage.has("ota.new")).toBe(false);
    // Flashing the installer again must install it again: its marker no longer matches.
    expect(storage.get("aisle.v")).toBe("ota v2");
    b.runUntil(TRIAL_US - 1000);
    expect(lines).toEqual(["I new"]);
    b.runUntil(TRIAL_US + 1000);
    expect(lines).toEqual(["I new", "E trial not confirmed: back to the previous app", "I old"]);
    expect(storage.get(".bootcde")).toBe(OLD);
    expect(storage.get("ota.r")).toBe("timeout v2");
    expect(storage.has("ota.t")).toBe(false);
  });

  it("keeps a bundle that confirms itself (erases ota.t) before the deadline", () => {
    const { b, lines, storage } = board({ ".bootcde": OLD, "ota.new": 'print("I new");setTimeout(function(){require("Storage").erase("ota.t");},5000);', "ota.t": "s v2" });
    b.runUntil(2 * TRIAL_US);
    expect(lines).toEqual(["I new"]);
    expect(storage.has("ota.t")).toBe(false);
    expect(storage.has("ota.r")).toBe(false);
  });

  it("rolls back a bundle that throws at boot, at the deadline: the timer survives the exception", () => {
    const { b, lines, storage } = board({ ".bootcde": OLD, "ota.new": 'throw new Error("boom");', "ota.t": "s v2" });
    expect(b.errors).toEqual(["Uncaught Error: boom"]);
    b.runUntil(TRIAL_US + 1000);
    expect(lines.slice(1)).toEqual(["E trial not confirmed: back to the previous app", "I old"]);
    expect(storage.get("ota.r")).toBe("timeout v2");
  });

  it("rolls back at once when the board boots again while on trial (a crash, a reset)", () => {
    const { lines, storage } = board({ ".bootcde": NEW, "ota.old": OLD, "ota.t": "r v2" });
    expect(lines).toEqual(["E trial boot again: back to the previous app", "I old"]);
    expect(storage.get("ota.r")).toBe("reboot v2");
    expect(storage.has("ota.t")).toBe(false);
  });

  it("finishes a switch the power cut short: during the save of the previous app, and during the copy in", () => {
    const saving = board({ ".bootcde": OLD, "ota.old": OLD.slice(0, 5), "ota.new": NEW, "ota.t": "s v2" });
    expect(saving.lines).toEqual(["I new"]);
    expect(saving.storage.get("ota.old")).toBe(OLD);
    const copying = board({ ".bootcde": NEW.slice(0, 4), "ota.old": OLD, "ota.new": NEW, "ota.t": "c v2" });
    expect(copying.lines).toEqual(["I new"]);
    expect(copying.storage.get("ota.old")).toBe(OLD);
    expect(copying.storage.get("ota.t")).toBe("r v2");
  });

  it("does nothing at a boot with no update, and copies files of several pieces whole", () => {
    expect(board({ ".bootcde": OLD }).lines).toEqual(["I old"]);
    const big = `print("I new ${"x".repeat(10_000)}".length);`;
    const { lines, storage } = board({ ".bootcde": OLD, "ota.new": big, "ota.t": "s v2" });
    expect(storage.get(".bootcde")).toBe(big);
    expect(lines).toEqual([String(6 + 10_000)]);
  });
});

/** Typed at the end of a run: the flash file system, as the board's host sees it. */
const DUMP = 'for n, d in pairs(__vboard.fs) do print("FS " .. n .. " " .. (d:gsub(".", function(c) return string.format("%02x", c:byte()) end))) end';

/** Boots a virtual NodeMCU on files, again after each node.restart() on the files it left, until it runs to untilUs without restarting. */
async function bootNodemcu(mcu: "esp8266" | "esp32", files: Record<string, string>, untilUs: number): Promise<{ lines: string[]; files: Map<string, string>; boots: number }> {
  const interpreter = mcu === "esp32" ? "lua5.3" : "lua5.1";
  let fs = new Map(Object.entries({ "init.lua": otaInitLua(`nodemcu-${mcu}`, mcu, "shelf", "aisle-shelf.lua"), ...files }));
  const lines: string[] = [];
  let start = 0;
  for (let boots = 1; boots < 6; boots++) {
    const cmds = [`M ${mcu} 44000`, "O dump-on-restart", `S ${start}`];
    for (const [name, text] of fs) cmds.push(`F ${name} ${Buffer.from(text, "latin1").toString("hex")}`);
    // The app named to B is compiled before boot (LFS); naming init.lua, dofile reads the bundle from the files as they are then.
    cmds.push("B init.lua init.lua", `U ${untilUs} ${Buffer.from(DUMP).toString("hex")}`, `E ${untilUs}`);
    const out = await runLuaBoard(interpreter, cmds);
    if (out.panic !== undefined) throw new Error(`panic: ${out.panic}`);
    const next = new Map<string, string>();
    for (const l of out.lines) {
      const m = /^(?:~fs|FS) (\S+) ([0-9a-f]*)$/.exec(l);
      if (m) next.set(m[1], Buffer.from(m[2], "hex").toString("latin1"));
      else if (l.startsWith("~restart ")) start = Number(l.slice(9));
      else if (!l.startsWith("~")) lines.push(l);
    }
    if (out.exitCode !== 4) return { lines, files: next, boots };
    fs = next;
  }
  throw new Error("the board kept restarting");
}

for (const mcu of ["esp8266", "esp32"] as const) {
  describe(`NodeMCU's init.lua on the ${mcu}`, () => {
    const OLD = 'print("I old")';
    const NEW = 'print("I new")';

    it("switches with two renames and a restart, and rolls back at the deadline when not confirmed", async () => {
      const r = await bootNodemcu(mcu, { "aisle-shelf.lua": OLD, "ota.new": NEW, "ota.t": "s v2" }, TRIAL_US + 5_000_000);
      expect(r.lines).toEqual(["I new", "I old"]);
      expect(r.boots).toBe(3);
      expect(r.files.get("aisle-shelf.lua")).toBe(OLD);
      expect(r.files.has("aisle-shelf.old")).toBe(false);
      expect(r.files.get("ota.r")).toBe("timeout v2");
      expect(r.files.has("ota.t")).toBe(false);
    });

    it("keeps a bundle that confirms itself before the deadline", async () => {
      const confirms = 'print("I new") tmr.create():alarm(5000, tmr.ALARM_SINGLE, function() file.remove("ota.t") end)';
      const r = await bootNodemcu(mcu, { "aisle-shelf.lua": OLD, "ota.new": confirms, "ota.t": "s v2" }, 2 * TRIAL_US);
      expect(r.lines).toEqual(["I new"]);
      expect(r.boots).toBe(2);
      expect(r.files.get("aisle-shelf.lua")).toBe(confirms);
      expect(r.files.get("aisle-shelf.old")).toBe(OLD);
      expect(r.files.has("ota.t")).toBe(false);
      expect(r.files.has("ota.r")).toBe(false);
    });

    it("rolls back at once a bundle that fails at boot", async () => {
      const r = await bootNodemcu(mcu, { "aisle-shelf.lua": OLD, "ota.new": 'error("boom")', "ota.t": "s v2" }, 1_000_000);
      expect(r.lines[0]).toMatch(/^E boot failed: .*boom/);
      expect(r.lines.slice(1)).toEqual(["I old"]);
      expect(r.files.get("ota.r")).toBe("crash v2");
    });

    it("rolls back when the board boots again on trial, and finishes a switch the power cut short", async () => {
      const again = await bootNodemcu(mcu, { "aisle-shelf.lua": NEW, "aisle-shelf.old": OLD, "ota.t": "r v2" }, 1_000_000);
      expect(again.lines).toEqual(["I old"]);
      expect(again.files.get("ota.r")).toBe("reboot v2");
      // Cut after the bundle became the previous one, before the slot became the bundle.
      const cut = await bootNodemcu(mcu, { "aisle-shelf.old": OLD, "ota.new": NEW, "ota.t": "s v2" }, 1_000_000);
      expect(cut.lines).toEqual(["I new"]);
      expect(cut.files.get("aisle-shelf.old")).toBe(OLD);
      expect(cut.files.get("ota.t")).toBe("r v2");
    });

    it("does nothing at a boot with no update", async () => {
      const r = await bootNodemcu(mcu, { "aisle-shelf.lua": OLD }, 1_000_000);
      expect(r).toMatchObject({ lines: ["I old"], boots: 1 });
    });
  });
}
