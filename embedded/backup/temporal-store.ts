// Temporal's half of `npm run backup` and `npm run restore`, for the embedded dev server, whose
// store is one SQLite file (DATA_DIR/temporal/temporal.db).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureSqliteBackup } from '../tools.ts';

const run = promisify(execFile);

/**
 * A consistent copy of the live store: `sqlite-backup` (embedded/sqlite-backup, Go) runs
 * `VACUUM INTO` under SQLite's own locks while the Temporal server keeps writing, then syncs the
 * copy and checks its integrity. Node 20 has no SQLite of its own, and `cp` of a live file can
 * catch half a transaction.
 */
export async function copyTemporalStore(source: string, destination: string, log: (line: string) => void) {
  const tool = await ensureSqliteBackup(log);
  const { stdout } = await run(tool, [source, destination], { maxBuffer: 1024 * 1024 }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`Could not copy Temporal's store ${source}: ${error.stderr?.trim() || error.message}`);
  });
  return JSON.parse(stdout) as { bytes: number; pages: number; integrity: string; durationMs: number };
}
