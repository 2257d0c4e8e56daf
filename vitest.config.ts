import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds and real interpreters take seconds, not milliseconds; nothing here is timed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
