import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native module breaks the threads pool.
    pool: 'forks',
    // The suites share one embedded stack and Temporal suites must not overlap; two cores here.
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // The usual report, then a table of the time each file took (test/support/file-times-reporter.ts).
    reporters: ['default', './test/support/file-times-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
