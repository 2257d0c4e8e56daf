import { Command, CommanderError, Option } from "commander";

// Commands are imported when run: TypeScript, ESLint and typescript-to-lua take a second to load.

const program = new Command("aisle")
  .description("Firmware for checkout-free store shelves and gates: build it, replay traces through it.")
  .showHelpAfterError("(run aisle help <command> for its options)")
  .exitOverride();

program.command("build")
  .description("check the firmware dialect, then bundle an app for a board: one minified .js for Espruino, init.lua + bundle for NodeMCU")
  .option("--board <id>", "a board from boards/ (aisle boards lists them)")
  .addOption(new Option("--app <app>", "which app").choices(["shelf", "gate"]))
  .option("--out <dir>", "where to write the bundle (default build/BOARD/APP)")
  .option("--all", "build every board and both apps")
  .option("--link <link>", "serial (events printed on the console, what replays read) or mqtt (the app on a broker, docs/mqtt.md)", "serial")
  .option("--json", "print the footprint as JSON")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/build.ts")).buildCommand(opts);
  });

program.command("replay")
  .description("run traces through the firmware on virtual boards; score against NAME.truth.jsonl when it is there")
  .argument("<traces...>", "trace files (NAME.trace.csv or .trace.bin), folders holding them, or glob patterns")
  .option("--truth <file>", "truth for a single trace, instead of the one beside it")
  .addOption(new Option("--runner <name>", "which virtual board runs the firmware").choices(["source", "espruino", "lua51", "luajit", "lua53", "all"]).default("source"))
  .option("--board <id>", "board for the runners of its platform (others keep their default)")
  .option("--json", "print results as JSON")
  .option("--report <file>", "also write an HTML report (self-contained, opens offline): charts per lane, misses, phantoms, wrong counts")
  .option("--jobs <n>", "worker threads (default: one a core); results are the same for any number")
  .option("--min-f1 <x>", "a release gate: exit 1 when any scored trace's F1 is below x")
  .option("--timing", "put wall-clock times into --json (which then differs from run to run)")
  .action(async (traces: string[], opts) => {
    process.exitCode = await (await import("./commands/replay.ts")).replayCommand(traces, opts);
  });

const gen = program.command("gen").description("generate traces with ground truth");
gen.command("shelf")
  .description("write NAME.trace.csv and NAME.truth.jsonl for a shelf scenario, from a seed")
  .requiredOption("--scenario <name>", "single, two-lanes, put-back, touch, lean, drift, creep, close-weights, multi-plate, noisy, faults, or all")
  .option("--seed <n>", "the random seed: the same seed gives the same files", "1")
  .option("--rate <sps>", "HX711 samples a second: 10 or 80", "80")
  .option("--duration-s <s>", "length of each trace (default: the scenario's own)")
  .requiredOption("--out <prefix>", "path prefix of the files to write (PREFIX-SCENARIO with all)")
  .option("--json", "list what was written as JSON")
  .action(async (opts) => {
    process.exitCode = (await import("./commands/gen.ts")).genShelfCommand(opts);
  });
gen.command("gate")
  .description("write NAME.trace.csv and NAME.truth.jsonl for a gate scenario, from a seed (docs/gate-scenarios.md)")
  .requiredOption("--scenario <name>", "single, groups, tailgate, children, carts, loiter, wrong-way, forced, held-open, emergency, flicker, or all")
  .option("--seed <n>", "the random seed: the same seed gives the same files", "1")
  .option("--duration-s <s>", "length of each trace (default: the scenario's own)")
  .requiredOption("--out <prefix>", "path prefix of the files to write (PREFIX-SCENARIO with all)")
  .option("--json", "list what was written as JSON")
  .action(async (opts) => {
    process.exitCode = (await import("./commands/gen-gate.ts")).genGateCommand(opts);
  });

const trace = program.command("trace").description("convert traces between their forms, and import recordings from elsewhere");
trace.command("convert")
  .description("convert a trace between CSV (NAME.trace.csv) and binary (NAME.trace.bin), losslessly; the suffixes pick the forms")
  .argument("<in>", "the trace to read")
  .argument("<out>", "the trace to write")
  .action(async (input: string, output: string) => {
    process.exitCode = await (await import("./commands/trace-convert.ts")).traceConvertCommand(input, output);
  });
trace.command("import")
  .description("import a recording into trace format 1: a folder of per-plate CSVs (AiFi/CMU form) or AiFi's long-form CSV with a planogram, or any CSV through column flags (docs/import.md)")
  .argument("<input>", "a folder of per-plate CSVs, or a CSV file")
  .requiredOption("--out <prefix>", "writes PREFIX.trace.csv, and PREFIX.truth.jsonl when there are labels")
  .option("--planogram <file>", "plates, lanes, SKUs and unit weights (default for a folder: DIR/planogram.json)")
  .option("--labels <file>", "labelled events (default for a folder: DIR/events.csv when it is there)")
  .option("--time <col>", "CSV: the time column, by header name or number from 1 (default 1)")
  .option("--time-unit <unit>", "CSV: s, ms or us (default s)")
  .option("--time-base <base>", "unix, relative or auto (default auto: unix from 1973 on)")
  .option("--weight <col[=id]>", "CSV: a weight column and its channel id; repeat for each (default: every other column)", (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option("--unit <unit>", "CSV: grams or counts (default grams)")
  .option("--delimiter <char>", "CSV: , ; | or tab (default ,)")
  .option("--no-header", "CSV: the first row is data")
  .option("--rate <hz>", "the nominal sample rate, instead of the one measured from the data")
  .option("--device <id>", "the trace's device id")
  .option("--json", "print what was written as JSON")
  .action(async (input: string, opts) => {
    process.exitCode = (await import("./commands/trace-import.ts")).traceImportCommand(input, opts);
  });

program.command("flash")
  .description("flash a build onto a controller (Espruino: EspruinoTools over a serial port or tcp://host:port; NodeMCU: its serial REPL), each file verified on the board, and its device config provisioned from a file; or a batch of boards from a CSV")
  .option("--board <id>", "the board (aisle boards lists them)")
  .addOption(new Option("--app <app>", "which app").choices(["shelf", "gate"]))
  .option("--port <port>", "the board's serial port (/dev/ttyUSB0), or tcp://host:port for an Espruino console on the network")
  .option("--device-config <file>", "JSON: broker, Wi-Fi, the device's id and where its key is (README, \"Flashing\"); never printed, never in a bundle")
  .option("--device <id>", "this board's device id (else device_id in the config)")
  .option("--many <csv>", "flash a batch: a CSV with columns port and device_id, one board a row, one after another")
  .option("--link <link>", "serial or mqtt (default: mqtt with --device-config, else serial)")
  .option("--retries <n>", "NodeMCU: how often a chunk or file is sent again before the flash fails", "3")
  .option("--json", "print the results as JSON")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/flash.ts")).flashCommand(opts);
  });

program.command("vboard")
  .description("a virtual board to flash without hardware: an Espruino board's console on a loopback TCP port, a NodeMCU board's on a pty; what aisle flash writes runs there, until Ctrl-C")
  .requiredOption("--board <id>", "the board to be (aisle boards lists them)")
  .option("--port <n>", "Espruino: the TCP port (default: a free one)")
  .option("--link <path>", "NodeMCU: where to link the pty (default .aisle/tty-BOARD)")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/vboard.ts")).vboardCommand(opts);
  });

program.command("sim")
  .description("run a live virtual shelf or gate on an MQTT broker, fed from a trace at real time or faster: events, health and status go out as a real device's would, it takes signed commands, and a gate's admissions come as signed admit commands (docs/mqtt.md)")
  .option("--board <id>", "the board to run (its platform's virtual board runs the MQTT build)", "espruino-esp32")
  .addOption(new Option("--app <app>", "which app").choices(["shelf", "gate"]).default("shelf"))
  .option("--trace <file>", "a shelf trace (its samples, calibration and lanes) or a gate trace (its beams, doors, emergency and admissions), as --app says (default: data/demo/APP-demo.trace.csv)")
  .option("--broker <url>", "mqtt://host:port (default: an embedded broker of its own)")
  .option("--speed <x>", "virtual seconds per wall second (1 = real time), or max", "1")
  .option("--device <id>", "the device id (default: shelf-sim or gate-sim)")
  .option("--key-file <file>", "the device's key (else AISLE_DEVICE_KEY, else one made and kept in .aisle/keys/DEVICE.key)")
  .option("--fleet-key-file <file>", "the fleet's key: the device takes bundle updates signed with it (aisle ota, docs/ota.md)")
  .option("--hold", "stay online after the trace ends, until Ctrl-C")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/sim.ts")).simCommand(opts);
  });

program.command("calibrate")
  .description("calibrate a shelf over MQTT with signed commands: wizard (interactive), or show, tare, span, verify, commit, rollback, set-lane, stream, config, reboot for scripts (docs/mqtt.md)")
  .argument("<action>", "wizard, show, tare, span, verify, commit, rollback, set-lane, stream, config or reboot")
  .option("--device <id>", "the device id")
  .option("--broker <url>", "the broker", "mqtt://127.0.0.1:1883")
  .option("--key-file <file>", "the device's key, 64 hex digits (or set AISLE_DEVICE_KEY; never on the command line)")
  .option("--tech <name>", "your name, for the device's audit log (default: AISLE_TECH, else your login)")
  .option("--cell <n>", "tare, span, verify, wizard: the cell")
  .option("--grams <g>", "span, verify: the weight on the plate")
  .option("--tol-g <g>", "verify: how far the reading may be off (default 1)")
  .option("--lane <id>", "set-lane: the lane")
  .option("--unit-g <g>", "set-lane: one item's weight")
  .option("--sku <sku>", "set-lane: the item's SKU")
  .option("--secs <n>", "stream: for how long (1-600); the samples go to stdout as JSON lines")
  .option("--key <name>", "config: the setting (health_period_s)")
  .option("--value <x>", "config: its value")
  .option("--json", "print the device's reply as JSON")
  .action(async (action: string, opts) => {
    process.exitCode = await (await import("./commands/calibrate.ts")).calibrateCommand(action, opts);
  });

program.command("ota")
  .description("update a device's app bundle over MQTT, signed with the fleet's key: build (or --bundle), sign, send, and wait until the device runs it and confirms it, or its boot loader rolls it back (docs/ota.md)")
  .option("--board <id>", "the device's board (the bundle is built for it)")
  .addOption(new Option("--app <app>", "the device's app").choices(["shelf", "gate"]))
  .option("--device <id>", "the device id")
  .option("--broker <url>", "the broker", "mqtt://127.0.0.1:1883")
  .option("--fleet-key-file <file>", "the fleet's 32-byte key, 64 hex digits: the device's own OTA key is derived from it (never on a device)")
  .option("--key-file <file>", "the device's command key, 64 hex digits (or set AISLE_DEVICE_KEY)")
  .option("--technician <name>", "your name, for the device's audit log (default: AISLE_TECH, else your login)")
  .option("--bundle <file>", "send this bundle rather than build one: aisle-APP.lua, or the Espruino installer aisle-APP.js (its app is sent)")
  .option("--version <v>", "the bundle's version (default: APP-<first 12 hex digits of its SHA-256>)")
  .option("--wait-s <s>", "how long to wait for the device to confirm or roll back (default 180)")
  .option("--json", "print the outcome as JSON")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/ota.ts")).otaCommand(opts);
  });

program.command("record")
  .description("record a live shelf's raw samples into a trace (NAME.trace.csv), with its calibration and lanes: the field-to-QA loop")
  .option("--broker <url>", "the broker", "mqtt://127.0.0.1:1883")
  .option("--device <id>", "the device id")
  .option("--seconds <s>", "how long to record")
  .option("--out <file>", "NAME.trace.csv to write (only once the recording is whole)")
  .option("--key-file <file>", "the device's key, 64 hex digits (or set AISLE_DEVICE_KEY)")
  .option("--tech <name>", "who asks, for the device's log (default: AISLE_TECH, else your login)")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/record.ts")).recordCommand(opts);
  });

program.command("broker")
  .description("run the embedded MQTT broker (aedes), for when there is no other; aisle sim uses one of its own when given no --broker")
  .option("--port <n>", "TCP port", "1883")
  .option("--host <addr>", "address to listen on", "127.0.0.1")
  .action(async (opts) => {
    process.exitCode = await (await import("./commands/broker.ts")).brokerCommand(opts);
  });

program.command("boards")
  .description("list the boards, their platform, cells and budgets")
  .option("--json", "print as JSON")
  .action(async (opts) => {
    process.exitCode = (await import("./commands/boards.ts")).boardsCommand(opts);
  });

program.command("check")
  .description("check every app and port against the firmware dialect, without building")
  .action(async () => {
    process.exitCode = await (await import("./commands/check.ts")).checkCommand();
  });

/** Errors that say what is wrong with the input: printed as one message, not a stack. */
const KNOWN = ["DeviceError", "UsageError", "OtaError", "BoardError", "DialectError", "BudgetError", "CompileError", "TraceError"];

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof Error && KNOWN.includes(e.name)) {
    process.stderr.write(`aisle: ${e.message}\n`);
    process.exitCode = e.name === "UsageError" ? 2 : 1;
  } else {
    throw e;
  }
}
