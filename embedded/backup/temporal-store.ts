// Temporal's half of `npm run backup`, for the embedded dev server, whose store is one SQLite
// file (DATA_DIR/temporal/temporal.db).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface TemporalCopyReport {
  bytes: number;
  pages: number;
  integrity: string;
  journalMode: string;
  /** How long Temporal's writers waited for the copy and the database's snapshot. */
  heldMs: number;
  durationMs: number;
}

export interface HeldTemporalCopy {
  /** SQLite's journal mode: in "delete" (Temporal's default) the held lock stops every commit; in "wal" it does not. */
  journalMode: string;
  /** Lets Temporal commit again once the database's snapshot has been taken. */
  release(): void;
  finished: Promise<TemporalCopyReport>;
}

/**
 * Starts a consistent copy of the live store with `sqlite-backup --hold` (`tool`, from
 * ensureSqliteBackup: embedded/sqlite-backup, Go; Node 20 has no SQLite of its own, and `cp` of a
 * live file can catch half a transaction).
 * Resolves once the tool holds a read lock on the store: from then until `release()`, Temporal
 * can commit nothing, so the database snapshot taken meanwhile holds no consequence of a
 * Temporal step that the copy lacks. The copy itself (VACUUM INTO, fsync, integrity check)
 * finishes on `finished`.
 */
export async function startTemporalCopy(tool: string, source: string, destination: string): Promise<HeldTemporalCopy> {
  const child = spawn(tool, ['--hold', source, destination], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const failure = async () => new Error(`Could not copy Temporal's store ${source}: ${stderr.trim() || `sqlite-backup exited with ${await exited}`}`);

  const first = await lines.next();
  if (first.done) throw await failure();
  const locked = JSON.parse(first.value) as { locked: boolean; journalMode: string };
  const finished = (async () => {
    const last = await lines.next();
    if ((await exited) !== 0 || last.done) throw await failure();
    return JSON.parse(last.value) as TemporalCopyReport;
  })();
  // Awaited by the caller; never an unhandled rejection in between.
  finished.catch(() => {});
  return {
    journalMode: locked.journalMode,
    release: () => child.stdin.end('go\n'),
    finished,
  };
}
