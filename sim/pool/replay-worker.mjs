// A worker thread of `aisle replay`: the tools are TypeScript, so the worker registers tsx first.
import { register } from "tsx/esm/api";

register();
await import("./replay-worker.ts");
