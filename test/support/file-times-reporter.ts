import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after the run, every test file with the time it took (import and collection, then its
 * tests and hooks), slowest first, so that the files that make `npm test` slow can be seen.
 */
export default class FileTimesReporter implements Reporter {
  private started = Date.now();

  onInit() {
    this.started = Date.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const rows = testModules
      .map((module) => {
        const d = module.diagnostic();
        return {
          file: path.relative(process.cwd(), module.moduleId),
          setup: d.collectDuration + d.prepareDuration + d.setupDuration,
          tests: d.duration,
          state: module.state(),
        };
      })
      .sort((a, b) => b.setup + b.tests - (a.setup + a.tests));
    const total = rows.reduce((n, r) => n + r.setup + r.tests, 0);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
    const width = Math.max(4, ...rows.map((r) => r.file.length));
    const lines = [
      '',
      `Time per test file (slowest first; ${s(total).trim()} of file time in all, run side by side in ${s(Date.now() - this.started).trim()} from start to end):`,
      `${'file'.padEnd(width)}  ${'total'.padStart(8)}  ${'import'.padStart(8)}  ${'tests'.padStart(8)}  state`,
      ...rows.map((r) => `${r.file.padEnd(width)}  ${s(r.setup + r.tests)}  ${s(r.setup)}  ${s(r.tests)}  ${r.state}`),
    ];
    console.log(lines.join('\n'));
  }
}
