import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the host code", () => {
  it("type-checks under tsconfig.json (tools, sim, tests, bench; the firmware is checked by aisle check)", () => {
    const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
