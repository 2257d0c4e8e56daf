#!/usr/bin/env node
// The `aisle` command. The tools are TypeScript, run through tsx so there is no build step.
import { register } from "tsx/esm/api";

register();
await import("./cli.ts");
