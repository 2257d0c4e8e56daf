/*
 * A shelf controller running live on a real broker: the MQTT build of the shelf app (aisle build
 * --link mqtt) on the virtual board of its platform, its HX711s fed from a trace in step with the
 * clock, its Store holding the trace's calibration and lanes and a device config (docs/mqtt.md)
 * that points it at the broker. What `aisle sim` runs, and what the MQTT tests drive.
 */
import { Encoder } from "cbor-x";
import { settleUsFor, Hx711Chip } from "../devices/hx711-chip.ts";
import { loadBoard } from "../../tools/build/board-file.ts";
import { boardConstants } from "../../tools/build/board-file.ts";
import { bundleFileName, cachedBuild } from "../../tools/build/build.ts";
import { replayShape, storeSeed } from "../runners/device-setup.ts";
import { ShelfFeed } from "../runners/shelf-feed.ts";
import { openTraceStream } from "../trace/open-trace-stream.ts";
import { NO_SAMPLE, type ShelfStream } from "../trace/trace-stream.ts";
import { LiveEspruino } from "./live-espruino.ts";
import type { LiveDeviceOptions } from "./live-options.ts";
import { LiveLuaBoard } from "./live-lua.ts";

export type LiveShelfOptions = LiveDeviceOptions;

export interface LiveShelf {
  readonly lines: string[];
  /** The board's clock, µs. */
  nowUs(): number;
  /** Resolves once the board's clock has passed tUs. */
  waitUntilUs(tUs: number, wallTimeoutMs?: number): Promise<void>;
  /** Resolves once every sample of the trace has gone to the HX711s and the clock is tailUs past the last. */
  waitUntilFed(tailUs: number, wallTimeoutMs?: number): Promise<void>;
  /** Ends cleanly: DISCONNECT, so no will. */
  stop(): Promise<void>;
}

/** The device config record the firmware reads (firmware/core/device-config.ts). */
export function deviceConfigRecord(o: { deviceId: string; brokerUrl: string; key: Buffer; otaKey?: Buffer; user?: string; password?: string; keepaliveS?: number }): string {
  const url = new URL(o.brokerUrl);
  if (url.protocol !== "mqtt:") throw new Error(`${o.brokerUrl}: the virtual boards speak plain MQTT (mqtt://host:port)`);
  const body = { v: 1, id: o.deviceId, host: url.hostname, port: Number(url.port || 1883), user: o.user ?? "", pass: o.password ?? "", key: o.key, keepalive_s: o.keepaliveS ?? 30, ...(o.otaKey ? { ota_key: o.otaKey } : {}) };
  return Buffer.from(new Encoder({ useRecords: false, tagUint8Array: false }).encode(body)).toString("latin1");
}

/** How far the trace has been fed: the time of the last sample handed on, and whether it was the trace's last. */
interface FeedProgress {
  lastUs: number;
  done: boolean;
}

function* luaConversions(stream: ShelfStream, progress: FeedProgress): Generator<[number, string]> {
  for (let chunk = stream.next(); chunk !== undefined; chunk = stream.next()) {
    for (let r = 0; r < chunk.rows; r++) {
      progress.lastUs = chunk.tUs[r];
      for (let c = 0; c < chunk.counts.length; c++) {
        if (chunk.counts[c][r] !== NO_SAMPLE) yield [chunk.tUs[r], `C ${chunk.tUs[r]} ${c} ${chunk.counts[c][r]}`];
      }
    }
  }
  progress.done = true;
}

export async function startLiveShelf(o: LiveShelfOptions): Promise<LiveShelf> {
  const input = openTraceStream(o.trace);
  if (!("next" in input)) throw new Error(`${o.trace} is a gate trace: aisle sim runs the shelf app on MQTT (the gate goes on MQTT with its own issue)`);
  const stream = input;
  const boardFile = loadBoard(o.board);
  const shape = replayShape(stream.header, boardFile.shelf.cells.length, boardFile.gate.lanes.length, boardFile.shelf.cells[0].rate_sps);
  const constants = boardConstants(boardFile, shape);
  const built = await cachedBuild(o.board, "shelf", { ...shape, link: "mqtt" });
  const storage = storeSeed(stream.header);
  storage.set("device", deviceConfigRecord(o));
  const progress: FeedProgress = { lastUs: 0, done: false };
  if (boardFile.platform === "espruino") {
    const live = new LiveEspruino({ code: built.files[bundleFileName(boardFile, "shelf")], filename: "aisle-shelf.js", mode: "vm", storage, speed: o.speed, onLine: o.onLine, crypto: boardFile.mcu === "esp8266" ? "no-sha256" : "sha256" });
    const board = live.board;
    const chips = constants.cells.map((c) => {
      const chip = new Hx711Chip(c.dout, c.sck, (pin, level) => board.pins.drive(pin, level), () => board.nowUs, settleUsFor(stream.header.rateHz));
      board.pins.listen(c.sck, (level) => chip.clock(level));
      board.pins.attachShifter(c.sck, chip);
      return chip;
    });
    const feed = new ShelfFeed(stream, (cell, counts) => {
      progress.lastUs = board.nowUs;
      chips[cell].convert(counts);
    });
    board.addDevice(feed);
    live.start();
    return {
      lines: live.lines,
      nowUs: () => live.nowUs,
      waitUntilUs: (t, ms = 60000) => live.waitFor(() => live.nowUs >= t, `virtual time ${t} us`, ms),
      waitUntilFed: (tail, ms = 60000) => live.waitFor(() => feed.done && live.nowUs >= progress.lastUs + tail, "the end of the trace", ms),
      stop: async () => {
        await live.stop();
        stream.close();
      },
    };
  }
  const files: Record<string, string | Buffer> = Object.fromEntries(Object.entries(built.files).filter(([n]) => n.endsWith(".lua")));
  for (const [name, text] of storage) files[name] = Buffer.from(text, name === "device" ? "latin1" : "utf8");
  const setup = constants.cells.map((c, i) => `H ${i} ${c.dout} ${c.sck} ${settleUsFor(stream.header.rateHz)}`);
  if (boardFile.mcu === "esp32") for (const c of constants.cells) setup.push(`R ${c.sck} 0`);
  const lines: string[] = [];
  const live = await LiveLuaBoard.start({
    interpreter: o.interpreter ?? (boardFile.lua === "5.3" ? "lua5.3" : "lua5.1"), mcu: boardFile.mcu, heapBytes: boardFile.memory.lua_heap_bytes!,
    files, init: "init.lua", app: bundleFileName(boardFile, "shelf"), setup, speed: o.speed === "max" ? Infinity : o.speed,
    stimuli: luaConversions(stream, progress), onLine: (l) => {
      lines.push(l);
      o.onLine?.(l);
    },
  });
  const until = async (test: () => boolean, ms: number): Promise<void> => {
    const end = Date.now() + ms;
    while (!test()) {
      if (Date.now() > end) throw new Error(`live ${o.board}: waited ${ms} ms for the end of the trace; the board is at ${live.nowUs} us`);
      await live.waitUntilUs(live.nowUs + 1, ms);
    }
  };
  return {
    lines,
    nowUs: () => live.nowUs,
    waitUntilUs: async (t, ms = 60000) => {
      await live.waitUntilUs(t, ms);
    },
    waitUntilFed: (tail, ms = 60000) => until(() => progress.done && live.nowUs >= progress.lastUs + tail, ms),
    stop: async () => {
      await live.stop();
      stream.close();
    },
  };
}
