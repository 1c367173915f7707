// `npm run backup [-- --out FOLDER] [--secret-out FILE]`: a consistent backup of the running
// system (or of a stopped one) without stopping it. See docs/operations.md, "Backup and restore".
//
// 1. Temporal's store first (embedded: a consistent copy of its live SQLite file, under a read
//    lock that keeps Temporal from committing until the database's snapshot is taken),
// 2. then the database, every table read in one snapshot through SQL (no pg_dump),
// 3. the signing secret into a file of its own beside the backup folder, not inside it.
//
// Temporal first: a Temporal store older than the database is safe (workflows redo a few steps,
// which find their own work); a database older than Temporal's store is not.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  formatBytes,
  MANIFEST_FILE,
  sha256File,
  TEMPORAL_FILE,
  type Manifest,
  type TemporalPart,
} from '../embedded/backup/format.ts';
import { dumpDatabase } from '../embedded/backup/postgres-dump.ts';
import { keysTheSecretDoesNotOpen, localSecretFile, readSecretFile, secretFileBeside, writeSecretFile } from '../embedded/backup/secret.ts';
import { startTemporalCopy, type HeldTemporalCopy } from '../embedded/backup/temporal-store.ts';
import { embeddedDatabaseUrl, releaseEmbeddedPostgresExitHooks, startEmbeddedPostgres, type EmbeddedDatabase } from '../embedded/postgres.ts';
import { ensureSqliteBackup } from '../embedded/tools.ts';
import { loadConfigOrExit, redact, startClock } from './supervisor.ts';

const USAGE = `Usage: npm run backup [-- --out FOLDER] [--secret-out FILE]

Backs up License Desk while it runs (or while it is stopped): Temporal's store, then the
database, into a new FOLDER (default: backups/license-desk-<UTC time>), and the signing secret
into FILE (default: FOLDER.secret), apart from the data. It reads DATA_DIR, DATABASE_URL,
TEMPORAL_ADDRESS and SIGNING_KEY_SECRET as npm start does.`;

const log = (line: string) => console.log(line);
const elapsed = startClock();

let args: { out?: string; 'secret-out'?: string; help?: boolean };
try {
  args = parseArgs({ options: { out: { type: 'string' }, 'secret-out': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  log(USAGE);
  process.exit(0);
}

const config = loadConfigOrExit('npm run backup');
releaseEmbeddedPostgresExitHooks();
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const out = path.resolve(args.out ?? path.join('backups', `license-desk-${stamp}`));
const partial = `${out}.partial`;
const secretOut = path.resolve(args['secret-out'] ?? secretFileBeside(out));

let startedDatabase: EmbeddedDatabase | undefined;
const cleanUp = async () => {
  await startedDatabase?.stop().catch(() => {});
  startedDatabase = undefined;
  await rm(partial, { recursive: true, force: true });
};
const fail = async (message: string) => {
  await cleanUp();
  console.error(`\nBackup failed: ${message}`);
  process.exit(1);
};
process.on('SIGINT', () => void fail('interrupted; nothing was kept.'));
process.on('SIGTERM', () => void fail('interrupted; nothing was kept.'));

try {
  if (existsSync(out)) await fail(`${out} already exists. Name a new folder with --out.`);
  if (existsSync(partial)) await rm(partial, { recursive: true, force: true });
  if (existsSync(secretOut)) await fail(`${secretOut} already exists. Name a new file with --secret-out.`);
  if (path.dirname(secretOut).startsWith(out + path.sep) || path.dirname(secretOut) === out)
    await fail('The secret must not go inside the backup folder; --secret-out names a file outside it.');

  // The secret first: a backup that cannot sign after a restore is no backup.
  const secretSource = config.signing.secret ? 'environment' : 'file';
  const secret =
    config.signing.secret ??
    (await readSecretFile(localSecretFile(config.dataDir)).catch((error: Error) =>
      fail(`no signing secret: ${error.message} Run npm start once, or set SIGNING_KEY_SECRET.`),
    ));

  log(`Backing up License Desk into ${out}`);
  await mkdir(partial, { recursive: true });
  const startedAt = new Date();

  // The database's address first: starting PostgreSQL (when npm start is not running) must not
  // happen while Temporal's writers wait.
  const databaseUrl = config.database.url ?? (await embeddedDatabase());
  log(`Database: ${redact(databaseUrl)}`);

  // 1. Temporal's store: locked, then 2. the database's snapshot taken while it is, then the
  // lock released. Nothing Temporal commits falls between the two copies.
  let held: HeldTemporalCopy | undefined;
  const temporalSource = path.join(config.dataDir, TEMPORAL_FILE);
  if (config.temporal.address) {
    log(`Temporal: not included. TEMPORAL_ADDRESS is set (${config.temporal.address}); back up that cluster's store with its own tools, before this database.`);
  } else if (!existsSync(temporalSource)) {
    await fail(`there is no Temporal store at ${temporalSource}. Is DATA_DIR (${config.dataDir}) the folder npm start uses?`);
  }
  const sqliteBackup = config.temporal.address ? undefined : await ensureSqliteBackup(log);
  let temporalLockedAt: Date | undefined;
  const { part: postgres, keys } = await dumpDatabase(databaseUrl, partial, log, {
    beforeSnapshot: async () => {
      if (config.temporal.address) return;
      await mkdir(path.dirname(path.join(partial, TEMPORAL_FILE)), { recursive: true });
      held = await startTemporalCopy(sqliteBackup!, temporalSource, path.join(partial, TEMPORAL_FILE));
      temporalLockedAt = new Date();
    },
    afterSnapshot: () => held?.release(),
  });
  await startedDatabase?.stop();
  startedDatabase = undefined;

  let temporal: TemporalPart;
  if (held) {
    const copy = await held.finished;
    temporal = {
      included: true,
      file: TEMPORAL_FILE,
      bytes: copy.bytes,
      sha256: await sha256File(path.join(partial, TEMPORAL_FILE)),
      namespace: config.temporal.namespace,
      takenAt: temporalLockedAt!.toISOString(),
    };
    log(
      `Temporal: ${temporalSource} copied (${formatBytes(copy.bytes)}, integrity ok); its writers waited ${copy.heldMs} ms for the copy and the database's snapshot.`,
    );
    if (copy.journalMode.toLowerCase() === 'wal') {
      log('  Note: the store is in WAL mode, where a reader does not stop writers: Temporal may have committed between its copy and the database snapshot.');
    }
  } else {
    temporal = {
      included: false,
      reason: `TEMPORAL_ADDRESS was set (${config.temporal.address}): that Temporal cluster's store is backed up with the cluster's own tools, before this database.`,
    };
  }
  const rows = postgres.tables.reduce((sum, table) => sum + table.rows, 0);
  log(
    `Database: ${postgres.tables.length} tables, ${rows} rows (${postgres.figures.licenses} licenses, ${postgres.figures.ledgerEntries} stock-ledger entries) in one snapshot, after ${elapsed()}.`,
  );

  const unopened = keysTheSecretDoesNotOpen(keys, secret);
  if (unopened.length) {
    await fail(
      `the signing secret (${secretSource === 'file' ? localSecretFile(config.dataDir) : 'SIGNING_KEY_SECRET'}) does not open signing key(s) ${unopened.join(', ')}; a restore of this backup could not sign. Find the secret these keys were made with.`,
    );
  }

  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_FORMAT_VERSION,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    secret: { kept: secretSource },
    temporal,
    postgres,
  };
  await writeFile(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });

  // 3. The secret, apart; then the folder gets its final name: a backup without .partial is complete.
  if (secretSource === 'file') await writeSecretFile(secretOut, secret);
  await rename(partial, out);

  const size = await folderSize(out);
  log(`\nBackup complete after ${elapsed()}: ${out} (${formatBytes(size)}).`);
  log(`  Temporal's store: ${temporal.included ? `copied first (${formatBytes(temporal.bytes)})` : 'not included (TEMPORAL_ADDRESS)'}`);
  log(
    `  Database: ${rows} rows in ${postgres.tables.length} tables; ${postgres.migrations.length} migrations; signing keys ${postgres.signingKeys.join(', ') || 'none yet'}`,
  );
  if (secretSource === 'file') {
    log(`  Signing secret: ${secretOut} (mode 0600). Keep it apart from the backup folder, in a different place:`);
    log('    whoever has both can sign licenses. A restore needs it: npm run restore -- <folder> --secret <file>.');
  } else {
    log('  Signing secret: not in the backup. It is your SIGNING_KEY_SECRET; keep it, a restore needs the same one.');
  }
} catch (error) {
  await fail(error instanceof Error ? error.message : String(error));
}

/**
 * The embedded database: the running one when npm start is up, otherwise PostgreSQL is started
 * on DATA_DIR for the length of the backup (never initialised: no cluster there is an error).
 */
async function embeddedDatabase(): Promise<string> {
  const url = embeddedDatabaseUrl(config.database.embeddedPort);
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
    return url;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
  } finally {
    await probe.end().catch(() => {});
  }
  const dataDir = path.join(config.dataDir, 'postgres');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(`nothing answers on port ${config.database.embeddedPort} and there is no database in ${dataDir}. Is DATA_DIR right?`);
  }
  log(`PostgreSQL is not running on port ${config.database.embeddedPort}; starting it on ${dataDir} for the backup.`);
  startedDatabase = await startEmbeddedPostgres({ dataDir, port: config.database.embeddedPort });
  return startedDatabase.url;
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
