import { defineConfig } from 'vitest/config';
import base from '../vitest.config.ts';

/**
 * The suite's set-up (test/global-setup.ts, and a database, SMTP catcher and namespace of its own
 * through test/support/file-setup.ts) for the history capture alone. Run it as
 *   npx vitest run --config scripts/capture-histories.config.ts
 * (docs/operations.md, "Capturing a new history"). The fields are replaced, not merged: vitest's
 * mergeConfig would append the suite's own include.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['scripts/capture-histories.vitest.ts'],
    exclude: ['**/node_modules/**'],
    reporters: ['default'],
    // vitest.config.ts sets both to the suite's worker count; tinypool refuses a minimum above the maximum.
    minWorkers: 1,
    maxWorkers: 1,
  },
});
