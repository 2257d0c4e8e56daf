/*
 * The boot loaders of bundle updates (docs/ota.md): code that runs before the app bundle at every
 * boot and is no part of it, so that a bundle that crashes, throws or never comes up is replaced
 * by the previous one whatever it does. They agree with the firmware through the Store records of
 * firmware/core/ota-records.ts ("ota.t": s switch due, c copy under way, t installed, r running
 * on trial). Both are small and do nothing but read one record at a boot with no update.
 *
 * Espruino: .boot0, which Espruino runs before .bootcde at every boot (jsfLoadBootCodeFromFlash),
 * written by the MQTT build's installer. It makes the switch itself: the running app's functions
 * live in .bootcde's flash, so .bootcde is rewritten only here, before the app runs. A timer it
 * sets survives an exception in .bootcde; at the deadline it restores the previous app and
 * load()s. NodeMCU: init.lua, which makes the switch with two renames (aisle-APP.lua becomes
 * aisle-APP.old, the slot aisle-APP.lua) and restarts, so that the new bundle is what the boot
 * loads; then runs the bundle under pcall, and restores the previous one when it throws, when the
 * board boots again on trial (a panic or a reset), or when a tmr alarm finds the trial
 * unconfirmed at the deadline, and restarts.
 */
import { Ota } from "../../firmware/core/ota-records.ts";

const SLOT: string = Ota.SLOT;
const TRIAL: string = Ota.TRIAL;
const RESULT: string = Ota.RESULT;
const TRIAL_MS: number = Ota.TRIAL_MS;

/** Storage files of the switch-over on Espruino: the previous app, kept until the next update. */
export const ESPRUINO_PREVIOUS = "ota.old";

/**
 * .boot0's source. Files are copied in 4 KB pieces of Storage.read(name, offset, length), which
 * Espruino gives where they lie in flash, so no copy is ever whole in RAM. The version marker
 * aisle.v is changed with .bootcde, so that flashing the installer again installs it again.
 */
export function espruinoBoot0(): string {
  return `(function(){var S=require("Storage"),t=S.read("${TRIAL}");if(!t)return;` +
    `var s=t[0],v=t.slice(2);` +
    `function cp(a,b){var n=S.read(a).length,i,p;for(i=0;i<n;i+=4096){p=S.read(a,i,Math.min(4096,n-i));if(i)S.write(b,p,i);else S.write(b,p,0,n);}}` +
    `function back(w){cp("${ESPRUINO_PREVIOUS}",".bootcde");S.write("${RESULT}",w+" "+v);S.erase("${TRIAL}");}` +
    `if(s=="s"){cp(".bootcde","${ESPRUINO_PREVIOUS}");S.write("${TRIAL}","c "+v);s="c";}` +
    `if(s=="c"){cp("${SLOT}",".bootcde");S.write("aisle.v","ota "+v);S.write("${TRIAL}","t "+v);s="t";}` +
    `if(s=="t"){S.erase("${SLOT}");S.write("${TRIAL}","r "+v);` +
    `setTimeout(function(){if((S.read("${TRIAL}")||"")[0]=="r"){print("E trial not confirmed: back to the previous app");back("timeout");load();}},${TRIAL_MS});return;}` +
    // Booted again while on trial: it crashed, or was reset, before confirming itself.
    `print("E trial boot again: back to the previous app");back("reboot");})();\n`;
}

/**
 * init.lua for an app on MQTT: the OTA boot loader, then the bundle under pcall (an error stops
 * at the REPL rather than rebooting in a loop, unless a previous bundle can be restored). The ESP8266
 * (release branch) reads files with file.getcontents; dev-esp32's file module has no such thing,
 * and files go through io.
 */
export function otaInitLua(boardId: string, mcu: "esp8266" | "esp32", app: string, bundle: string): string {
  const previous = bundle.replace(/\.lua$/, ".old");
  // Written small: on the ESP8266 it is flash the bundle budget counts. tmr.ALARM_SINGLE is 0.
  return [
    `-- aisle ${app}: boot, roll back (docs/ota.md)`,
    `local A,O,T,F="${bundle}","${previous}","${TRIAL}",file`,
    mcu === "esp32"
      ? `local function get(n) local f=io.open(n) if f then local d=f:read("a") f:close() return d end end local function put(n,d) local f=io.open(n,"w") if f then f:write(d) f:close() end end`
      : "local get,put=F.getcontents,F.putcontents",
    "local t=get(T)",
    `local function b(w) if F.exists(O) then F.remove(A) F.rename(O,A) end put("${RESULT}",w.." "..t:sub(3)) F.remove(T) node.restart() end`,
    "local s=t and t:sub(1,1)",
    // "s": the checked slot becomes the bundle, the bundle the previous one, then a boot on trial.
    // Each step can be cut short by the power and done again.
    `if s=="s" then if F.exists("${SLOT}") then if F.exists(A) then F.remove(O) F.rename(A,O) end F.rename("${SLOT}",A) end put(T,"t "..t:sub(3)) node.restart() return end`,
    `if s=="r" then return b("reboot") end`,
    `if t then t="r "..t:sub(3) put(T,t) tmr.create():alarm(${TRIAL_MS},0,function() if F.exists(T) then b("timeout") end end) end`,
    "local ok,e=pcall(dofile,A)",
    `if not ok then print("E boot failed: "..tostring(e)) if t then b("crash") end end`,
    "",
  ].join("\n");
}
