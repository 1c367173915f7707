// What the backup and the restore both ask PostgreSQL.
import type pg from 'pg';
import type { Figures } from './format.ts';

/**
 * Session settings under which COPY's text format reads back exactly as it was written, whatever
 * the server's defaults (the ones pg_dump sets).
 */
export async function setPortableSession(client: pg.Client) {
  await client.query(
    `SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET bytea_output = 'hex'`,
  );
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The ordinary tables of the public schema, by name. */
export async function listTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname COLLATE "C"`,
  );
  return rows.map((row) => row.name);
}

/** A table's stored columns in their order (generated columns cannot be copied in). */
export async function tableColumns(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [`public.${quoteIdent(table)}`],
  );
  return rows.map((row) => row.name);
}

/** Prisma's applied migrations, by name, in order; undefined when the database has no License Desk schema. */
export async function appliedMigrations(client: pg.Client): Promise<string[] | undefined> {
  const { rows: exists } = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '_prisma_migrations'`);
  if (exists.length === 0) return undefined;
  const { rows } = await client.query<{ name: string }>(
    `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name COLLATE "C"`,
  );
  return rows.map((row) => row.name);
}

/** The sequences of the public schema with their values. */
export async function sequenceValues(client: pg.Client) {
  const { rows: names } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname COLLATE "C"`,
  );
  const values = [];
  for (const { name } of names) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM public.${quoteIdent(name)}`);
    values.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  return values;
}

/** Licenses and the stock ledger summed per company, product and kind: the figures a restore must reproduce. */
export async function readFigures(client: pg.Client): Promise<Figures> {
  const licenses = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "License"`);
  const ledger = await client.query<Figures['ledger'][number]>(
    `SELECT "companyId"::text AS "companyId", "productId"::text AS "productId", kind::text AS kind,
            count(*)::int AS entries, sum(channels)::int AS channels
     FROM "StockLedgerEntry" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  return {
    licenses: licenses.rows[0]!.n,
    ledgerEntries: ledger.rows.reduce((sum, row) => sum + row.entries, 0),
    ledger: ledger.rows,
  };
}

/** The signing keys with their encrypted private keys, to check that a secret opens them. */
export async function signingKeys(client: pg.Client): Promise<Array<{ id: string; privateKeyEnc: Buffer }>> {
  const { rows } = await client.query<{ id: string; privateKeyEnc: Buffer }>(`SELECT id, "privateKeyEnc" FROM "SigningKey" ORDER BY "createdAt", id`);
  return rows;
}
