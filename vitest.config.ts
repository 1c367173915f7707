import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The slow suites `npm run test:fast` leaves out: the browser, the fault injection, and the
 * whole-system runs that start stacks of their own.
 */
export const SLOW_SUITES = [
  'test/ui/**',
  'test/faults/**',
  'test/cluster/**',
  'test/start.test.ts',
  'test/backup-restore.test.ts',
  'test/service-restarts.test.ts',
];

const WORKERS = Number(process.env.TEST_WORKERS) || os.availableParallelism() + 1;

export default defineConfig({
  test: {
    // Temporal's native module breaks the threads pool.
    pool: 'forks',
    // Files run side by side: each has its own database and SMTP catcher (test/support/file-stack.ts)
    // on the suite's shared PostgreSQL and Temporal. Most of a file's time is waiting on servers,
    // so one more file than cores keeps both cores busy.
    maxWorkers: WORKERS,
    // As many from the start as at most: with isolate off, tinypool 1.1 rejects a task of a worker
    // it retires to keep to a smaller minimum ("Terminating worker thread", vitest-dev/vitest#8133).
    minWorkers: WORKERS,
    // A fork runs file after file, keeping what it imported (tsx's transforms, Prisma's and
    // Temporal's native modules, the services): a file no longer pays 2-10 s to load them, which on
    // 2 cores was a seventh of the suite. Each file still has its own database, catcher and
    // namespace (test/support/file-setup.ts), and no test changes process-wide state.
    isolate: false,
    // global.gc for the tests that measure heap growth (test/reports/license-report-memory.test.ts):
    // in a fork that ran other files first, the heap holds their garbage until a collection.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/support/file-setup.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(process.env.TEST_FAST ? SLOW_SUITES : [])],
    // The usual report, then a table of the time each file took (test/support/file-times-reporter.ts).
    reporters: ['default', './test/support/file-times-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
