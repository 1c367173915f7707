// The database half of `npm run restore`: loads a backup's COPY files into a freshly migrated,
// empty database, in one transaction.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Figures, PostgresPart } from './format.ts';
import { tap } from './postgres-dump.ts';
import { appliedMigrations, listTables, quoteIdent, readFigures, setPortableSession } from './sql.ts';

export class RestoreRefused extends Error {}

/**
 * Loads every table of the backup into `databaseUrl`, which must hold the same migrations and
 * no rows yet (`prisma migrate deploy` on an empty database, no demo data). In one transaction:
 *
 * - user triggers are disabled on each table while it loads (ALTER TABLE ... DISABLE TRIGGER
 *   USER), so the counters that triggers keep, such as LicenseCount, come back as the rows the
 *   backup holds instead of being counted twice; the append-only triggers fire on UPDATE and
 *   DELETE only and are not in the way. This needs only the tables' owner, not a superuser.
 * - foreign keys stay on: tables load parents first, so every reference is checked as it loads.
 * - the sequences are set to their backed-up values.
 * - each table's row count and the figures (licenses, the stock ledger per company, product and
 *   kind) are compared with the backup's before COMMIT; `beforeCommit` may refuse too.
 *
 * Any difference rolls the whole load back.
 */
export async function loadDatabase(
  databaseUrl: string,
  backupDir: string,
  backup: PostgresPart,
  log: (line: string) => void,
  beforeCommit: (client: pg.Client) => Promise<void> = async () => {},
) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'license-desk restore' });
  await client.connect();
  try {
    await setPortableSession(client);
    const migrations = await appliedMigrations(client);
    if (!sameList(migrations ?? [], backup.migrations)) {
      throw new RestoreRefused(
        'The backup was made by a different version of License Desk: its database migrations are not the ones in this checkout.\n' +
          `  only in the backup: ${difference(backup.migrations, migrations ?? []).join(', ') || 'none'}\n` +
          `  only in this checkout: ${difference(migrations ?? [], backup.migrations).join(', ') || 'none'}\n` +
          'Restore with the version that made the backup (git checkout of that time), start it once, then update: npm start applies the newer migrations.',
      );
    }
    const present = await listTables(client);
    const backedUp = backup.tables.map((table) => table.name);
    if (!sameList([...present].sort(), [...backedUp].sort())) {
      throw new RestoreRefused(`The tables differ from the backup's: this database has ${present.join(', ')}; the backup has ${backedUp.join(', ')}.`);
    }

    await client.query('BEGIN');
    const order = await loadOrder(client, backedUp);
    for (const table of order) await client.query(`ALTER TABLE public.${quoteIdent(table)} DISABLE TRIGGER USER`);
    // The fresh migration wrote its own rows here; the backup's (same names) replace them.
    await client.query('DELETE FROM "_prisma_migrations"');
    for (const name of order) {
      const table = backup.tables.find((t) => t.name === name)!;
      const { rows } = await client.query<{ taken: boolean }>(`SELECT EXISTS (SELECT 1 FROM public.${quoteIdent(name)}) AS taken`);
      if (rows[0]!.taken) throw new RestoreRefused(`Table ${name} already holds rows; a restore loads into an empty database only.`);
      const hash = createHash('sha256');
      const copy = client.query(copyFrom(`COPY public.${quoteIdent(name)} (${table.columns.map(quoteIdent).join(', ')}) FROM STDIN`));
      await pipeline(createReadStream(path.join(backupDir, table.file)), tap(hash), createGunzip(), copy);
      if (hash.digest('hex') !== table.sha256) throw new RestoreRefused(`${table.file} is damaged: its SHA-256 is not the one in the manifest.`);
      if (copy.rowCount !== table.rows) throw new RestoreRefused(`${name}: loaded ${copy.rowCount} rows, the backup says ${table.rows}.`);
      log(`  ${name}: ${copy.rowCount} rows`);
    }
    for (const table of order) await client.query(`ALTER TABLE public.${quoteIdent(table)} ENABLE TRIGGER USER`);
    for (const sequence of backup.sequences) {
      await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [`public.${quoteIdent(sequence.name)}`, sequence.lastValue, sequence.isCalled]);
    }

    const figures = await readFigures(client);
    const mismatch = compareFigures(backup.figures, figures);
    if (mismatch) throw new RestoreRefused(`The restored data does not match the backup's figures: ${mismatch}`);
    await beforeCommit(client);
    await client.query('COMMIT');
    // Fresh statistics, so the first queries on the restored system are planned well.
    await client.query('ANALYZE');
    return figures;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Parents before children, by the foreign keys of the database; a table's references to itself are checked at the end of its COPY. */
async function loadOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
     JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = child.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND k.conrelid <> k.confrelid`,
  );
  const parents = new Map(tables.map((table) => [table, new Set<string>()]));
  for (const { child, parent } of rows) parents.get(child)?.add(parent);
  const order: string[] = [];
  const remaining = new Set([...tables].sort());
  while (remaining.size) {
    const ready = [...remaining].filter((table) => [...parents.get(table)!].every((parent) => !remaining.has(parent)));
    if (!ready.length) throw new Error(`The foreign keys between ${[...remaining].join(', ')} form a cycle; they cannot be loaded one after another.`);
    for (const table of ready) {
      order.push(table);
      remaining.delete(table);
    }
  }
  return order;
}

/** A sentence naming the first difference, or undefined when the figures are the same. */
export function compareFigures(expected: Figures, actual: Figures): string | undefined {
  if (expected.licenses !== actual.licenses) return `${actual.licenses} licenses, the backup has ${expected.licenses}`;
  if (expected.ledgerEntries !== actual.ledgerEntries) return `${actual.ledgerEntries} stock-ledger entries, the backup has ${expected.ledgerEntries}`;
  const key = (row: Figures['ledger'][number]) => `${row.companyId}/${row.productId}/${row.kind}`;
  const want = new Map(expected.ledger.map((row) => [key(row), row]));
  const got = new Map(actual.ledger.map((row) => [key(row), row]));
  for (const [k, row] of want) {
    const other = got.get(k);
    if (!other || other.entries !== row.entries || other.channels !== row.channels) {
      return `stock ${k}: ${other ? `${other.entries} entries / ${other.channels} channels` : 'nothing'}, the backup has ${row.entries} / ${row.channels}`;
    }
  }
  for (const k of got.keys()) if (!want.has(k)) return `stock ${k} is not in the backup`;
  return undefined;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((item, i) => item === b[i]);
const difference = (a: string[], b: string[]) => a.filter((item) => !b.includes(item));
