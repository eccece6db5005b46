import path from "node:path";

import { defineConfig } from "vitest/config";

// Browser journeys against the production build served over real HTTP on a fresh database.
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    environment: "node",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    setupFiles: ["tests/e2e/support/setup-e2e.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // What a page shows after a step can take seconds on a busy machine: expect.poll waits as long
    // as a step's evidence does (tests/e2e/support/evidence.ts), not vitest's default 1 s.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
