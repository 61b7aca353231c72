import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real processes; two cores do not take many at once.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
