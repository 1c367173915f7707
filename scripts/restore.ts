// `npm run restore -- FOLDER [--secret FILE]`: puts a backup made by `npm run backup` onto an
// empty data folder (DATA_DIR). See docs/operations.md, "Backup and restore".
//
// 1. PostgreSQL is created in DATA_DIR/postgres, migrated, and the backup's tables are loaded
//    into it in one transaction (no demo data: the backup's rows are the data).
// 2. Temporal's store is copied to DATA_DIR/temporal/temporal.db.
// 3. Requests recorded after Temporal's copy was taken get their workflow started again.
// 4. The signing secret goes to DATA_DIR/secrets/signing-key-secret (0600).
// Then `npm start` runs the restored system.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { requestReference } from '../domain/request-forms.ts';
import { BackupFormatError, damagedFiles, formatBytes, readManifest, sha256File, TEMPORAL_FILE, type Manifest } from '../embedded/backup/format.ts';
import { loadDatabase, RestoreRefused } from '../embedded/backup/postgres-load.ts';
import { resumeRequestsWithoutWorkflow } from '../embedded/backup/resume.ts';
import {
  keysTheSecretDoesNotOpen,
  localSecretFile,
  readSecretFile,
  secretFileBeside,
  signingKeysInBackup,
  writeSecretFile,
} from '../embedded/backup/secret.ts';
import { signingKeys, listTables } from '../embedded/backup/sql.ts';
import { migrateDatabase } from '../embedded/migrate.ts';
import { releaseEmbeddedPostgresExitHooks, startEmbeddedPostgres, type EmbeddedDatabase } from '../embedded/postgres.ts';
import { freePort } from '../embedded/process.ts';
import { ROOT } from '../embedded/tools.ts';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../embedded/temporal.ts';
import { loadConfigOrExit, redact, startClock } from './supervisor.ts';

const USAGE = `Usage: npm run restore -- FOLDER [--secret FILE]

Restores a backup made by npm run backup onto an empty data folder (DATA_DIR, default data/):
the database, Temporal's store and the signing secret. FILE is the secret the backup wrote
beside FOLDER (default: FOLDER.secret); not needed when SIGNING_KEY_SECRET is set.
Then run npm start.`;

const log = (line: string) => console.log(line);
const elapsed = startClock();

let parsed: { values: { secret?: string; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({ options: { secret: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  log(USAGE);
  process.exit(0);
}
if (parsed.positionals.length !== 1) {
  console.error(`Name one backup folder.\n\n${USAGE}`);
  process.exit(2);
}

const config = loadConfigOrExit('npm run restore');
releaseEmbeddedPostgresExitHooks();
const backupDir = path.resolve(parsed.positionals[0]!);

/** Refused before anything was written: the reason, and exit 1. */
function refuse(message: string): never {
  console.error(`Restore refused: ${message}`);
  process.exit(1);
}

// --- What is asked, checked before anything is written. ---
let manifest: Manifest;
try {
  manifest = await readManifest(backupDir);
} catch (error) {
  if (error instanceof BackupFormatError) refuse(error.message);
  throw error;
}
const embeddedDb = !config.database.url;
const embeddedTemporal = !config.temporal.address;
if (embeddedTemporal && !manifest.temporal.included) {
  refuse(
    `this backup holds no Temporal store (${manifest.temporal.reason}) Restore it with TEMPORAL_ADDRESS pointing at that cluster, restored from its own backup.`,
  );
}
if (embeddedTemporal && manifest.temporal.included && manifest.temporal.namespace !== config.temporal.namespace) {
  refuse(`the backup's workflows are in Temporal namespace ${manifest.temporal.namespace}; set TEMPORAL_NAMESPACE=${manifest.temporal.namespace}.`);
}

const inCheckout = (await readdir(path.join(ROOT, 'prisma', 'migrations'), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory() && existsSync(path.join(entry.parentPath, entry.name, 'migration.sql')))
  .map((entry) => entry.name)
  .sort();
if (inCheckout.join('\n') !== manifest.postgres.migrations.join('\n')) {
  const only = (a: string[], b: string[]) => a.filter((name) => !b.includes(name)).join(', ') || 'none';
  refuse(
    'the backup was made by a different version of License Desk: its database migrations are not the ones in this checkout.\n' +
      `  only in the backup: ${only(manifest.postgres.migrations, inCheckout)}\n  only in this checkout: ${only(inCheckout, manifest.postgres.migrations)}\n` +
      'Restore with the version that made the backup (a git checkout of that time), start it once, then update: npm start applies the newer migrations.',
  );
}
const secret = await resolveSecret();
const writesDataDir = embeddedDb || embeddedTemporal || !config.signing.secret;
const dataDirExisted = existsSync(config.dataDir);
if (writesDataDir && dataDirExisted) {
  const entries = await readdir(config.dataDir);
  if (entries.length) {
    refuse(
      `the data folder ${config.dataDir} is not empty (it holds ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}).\n` +
        'A restore goes onto an empty data folder only, so that it never mixes with or overwrites data. Stop npm start, then either\n' +
        `  move the folder aside (mv ${config.dataDir} ${config.dataDir}.old) and run npm run restore again, or\n` +
        '  set DATA_DIR to a new folder for the restore (and for npm start afterwards).',
    );
  }
}
if (!embeddedDb) {
  const client = new pg.Client({ connectionString: config.database.url });
  const tables = await client
    .connect()
    .then(() => listTables(client))
    .catch((error: Error) => refuse(`cannot reach the database at ${redact(config.database.url!)}: ${error.message}. Create it (empty) first.`))
    .finally(() => client.end().catch(() => {}));
  if (tables.length)
    refuse(`the database at ${redact(config.database.url!)} already has tables (${tables.slice(0, 5).join(', ')}…). Restore into a new, empty database.`);
}
log('Checking the backup files against their SHA-256...');
const damaged = await damagedFiles(backupDir, manifest);
if (damaged.length) refuse(`the backup is damaged; these files do not match its manifest: ${damaged.join(', ')}.`);
const unopened = keysTheSecretDoesNotOpen(await signingKeysInBackup(backupDir, manifest), secret.value);
if (unopened.length) refuse(secretDoesNotOpen(unopened));

// --- The restore. Anything it wrote is removed again if it fails. ---
let database: EmbeddedDatabase | undefined;
let temporal: EmbeddedTemporal | undefined;
const partLog: string[] = [];
const keepLog = (line: string) => partLog.push(line);

async function undo() {
  await temporal?.stop().catch(() => {});
  await database?.stop().catch(() => {});
  temporal = undefined;
  database = undefined;
  if (!writesDataDir) return;
  if (dataDirExisted) {
    for (const entry of await readdir(config.dataDir).catch(() => [])) await rm(path.join(config.dataDir, entry), { recursive: true, force: true });
  } else {
    await rm(config.dataDir, { recursive: true, force: true });
  }
}
let interrupted = false;
const onSignal = () => {
  if (interrupted) return;
  interrupted = true;
  console.error('\nInterrupted; removing what the restore wrote...');
  void undo().then(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  log(`Restoring ${backupDir} (taken ${manifest.postgres.takenAt}) into ${writesDataDir ? config.dataDir : 'the configured services'}`);
  if (writesDataDir) await mkdir(config.dataDir, { recursive: true });

  // 1. The database.
  let databaseUrl = config.database.url;
  if (embeddedDb) {
    database = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: await freePort(), log: keepLog });
    databaseUrl = database.url;
    log(`PostgreSQL ${database.version} created in ${path.join(config.dataDir, 'postgres')} after ${elapsed()}.`);
  }
  await migrateDatabase(databaseUrl!);
  log(`Migrations applied (${manifest.postgres.migrations.length}); loading the tables:`);
  const figures = await loadDatabase(databaseUrl!, backupDir, manifest.postgres, log, async (client) => {
    // Checked on the backup's file already; again on the rows as loaded.
    const unopened = keysTheSecretDoesNotOpen(await signingKeys(client), secret.value);
    if (unopened.length) throw new RestoreRefused(secretDoesNotOpen(unopened));
  });
  log(`Database loaded after ${elapsed()}: ${figures.licenses} licenses, ${figures.ledgerEntries} stock-ledger entries, the same figures as the backup.`);

  // 2. Temporal's store.
  if (embeddedTemporal && manifest.temporal.included) {
    const target = path.join(config.dataDir, TEMPORAL_FILE);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(backupDir, manifest.temporal.file), target);
    if ((await sha256File(target)) !== manifest.temporal.sha256) throw new Error(`the copy of Temporal's store at ${target} differs from the backup's.`);
    log(`Temporal's store copied to ${target} (${formatBytes(manifest.temporal.bytes)}).`);

    // 3. Requests recorded after Temporal's copy was taken.
    temporal = await startEmbeddedTemporal({ port: await freePort(), namespace: config.temporal.namespace, dbFile: target, log: keepLog });
    const resumed = await resumeRequestsWithoutWorkflow({
      databaseUrl: databaseUrl!,
      temporalAddress: temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      policy: config.deskPolicy,
    });
    await temporal.stop();
    temporal = undefined;
    log(`Open requests: ${resumed.open}; ${resumed.open - resumed.resumed.length} with their workflow in Temporal's store.`);
    if (resumed.resumed.length) {
      log(
        `  ${resumed.resumed.length} recorded as the backup was taken had no workflow yet; started again: ${resumed.resumed.map(requestReference).join(', ')}.`,
      );
    }
    if (resumed.closed.length)
      log(
        `  Note: the workflows of ${resumed.closed.map((c) => `${requestReference(c.number)} (${c.status})`).join(', ')} have ended in Temporal while the database shows them open.`,
      );
  } else {
    log(`Temporal: TEMPORAL_ADDRESS is set (${config.temporal.address}); restore that cluster's store from its own backup, taken before this one's database.`);
  }
  await database?.stop();
  database = undefined;

  // 4. The secret.
  if (secret.from !== 'SIGNING_KEY_SECRET') await writeSecretFile(localSecretFile(config.dataDir), secret.value);

  log(`\nRestore complete after ${elapsed()}.`);
  log(
    `  The signing secret ${secret.from === 'SIGNING_KEY_SECRET' ? 'is your SIGNING_KEY_SECRET; start with the same one' : `is in ${localSecretFile(config.dataDir)}`}; it opens the ${manifest.postgres.signingKeys.length} signing key(s).`,
  );
  log(`  Start it: ${config.dataDir === path.resolve('data') ? '' : `DATA_DIR=${config.dataDir} `}npm start`);
} catch (error) {
  // The signal handler is already removing what was written, and exits.
  if (interrupted) await new Promise(() => {});
  const message = error instanceof Error ? error.message : String(error);
  await undo();
  if (!(error instanceof RestoreRefused) && partLog.length) console.error(partLog.slice(-20).join('\n'));
  console.error(`\nRestore failed: ${message}`);
  console.error(
    writesDataDir ? `What the restore wrote was removed; ${config.dataDir} is as it was.` : 'The database may now hold the migrated, empty schema.',
  );
  process.exit(1);
}

function secretDoesNotOpen(kids: string[]) {
  return `the signing secret (${secret.from}) does not open signing key(s) ${kids.join(', ')} of this backup, so the restored desk could not sign. Pass the secret file the backup wrote with it: --secret FILE.`;
}

/** The secret the restored system will run with, and where it came from; refused when there is none. */
async function resolveSecret(): Promise<{ value: string; from: string }> {
  const file = parsed.values.secret ? path.resolve(parsed.values.secret) : undefined;
  if (config.signing.secret) {
    if (file && (await readSecretFile(file).catch(() => undefined)) !== config.signing.secret) {
      refuse(`SIGNING_KEY_SECRET is set and ${file} holds a different secret. Keep one of them.`);
    }
    return { value: config.signing.secret, from: 'SIGNING_KEY_SECRET' };
  }
  const candidate = file ?? secretFileBeside(backupDir);
  if (!existsSync(candidate)) {
    refuse(
      manifest.secret.kept === 'environment'
        ? 'this backup was made with SIGNING_KEY_SECRET from the environment, so it holds no secret. Set the same SIGNING_KEY_SECRET, or pass --secret FILE with it.'
        : `the signing secret is not at ${candidate}. The backup wrote it beside the backup folder; pass it with --secret FILE.`,
    );
  }
  // Whether it opens the backup's signing keys is checked while the database loads.
  const value = await readSecretFile(candidate).catch((error: Error) => refuse(error.message));
  return { value, from: candidate };
}
