import { countJsVars } from "./jsvar-count.ts";
import { type JsVarLayout, layoutFor } from "./jsvar-layout.ts";
import { JsVarTracker } from "./jsvar-tracker.ts";

/** Where the app's code lives: Espruino runs Storage's .bootcde from flash and copies uploaded code into RAM. */
export const FLASH_CODE = ".bootcde";

/** What Espruino's process.memory() reports (2v29), in JsVars; blocksize is bytes per JsVar. */
export interface ProcessMemory {
  free: number;
  usage: number;
  total: number;
  history: number;
  gc: number;
  gctime: number;
  blocksize: number;
}

/**
 * JsVars the interpreter holds itself once an empty program has booted from flash, measured at
 * the REPL with process.memory().usage on Espruino 2v29's Linux build (-m32, 1,700 variables):
 * the root and hidden root, the timer and watch lists, the pins and built-ins the REPL's own
 * command touches. test/fixtures/jsvars/real-usage.json holds the measurement.
 */
export const INTERPRETER_JSVARS = 45;

/**
 * The virtual board's process.memory(): counts, after each run, what the run's code can reach
 * as Espruino would store it. Counting instruments the code it runs (to learn which source
 * made each function, and every scope a closure keeps), so it is switched on per board.
 */
export class JsVarMeter {
  private tracker: JsVarTracker | undefined;

  constructor(readonly total: number, private readonly storage: Map<string, string>, readonly layout: JsVarLayout = layoutFor(total)) {}

  /** The code to run and the globals to run it with, for the run about to start. */
  prepare(code: string, filename: string, globals: Record<string, unknown>): { code: string; globals: Record<string, unknown> } {
    const fromFlash = filename === FLASH_CODE;
    const stored = fromFlash ? this.storage.get(FLASH_CODE) ?? code : code;
    const t = new JsVarTracker(code, filename, fromFlash, stored !== code);
    const context = t.wrap(globals, () => this.memory());
    t.context = context;
    this.tracker = t;
    return { code: t.program.code, globals: context };
  }

  /** JsVars in use now, as process.memory().usage would say after its garbage collection. */
  usage(): number {
    if (this.tracker === undefined) return INTERPRETER_JSVARS;
    return INTERPRETER_JSVARS + countJsVars(this.tracker, this.layout);
  }

  /** What each root name holds (with all it alone reaches first), and the interpreter's records. */
  breakdown(): Map<string, number> {
    const out = new Map<string, number>();
    if (this.tracker) countJsVars(this.tracker, this.layout, out);
    return out;
  }

  memory(): ProcessMemory {
    const usage = this.usage();
    return { free: this.total - usage, usage, total: this.total, history: 0, gc: 0, gctime: 0, blocksize: this.layout.blockBytes };
  }
}
