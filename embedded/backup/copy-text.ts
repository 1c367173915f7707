// Reading back a table file of a backup: PostgreSQL's COPY text format, gzipped.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { TableDump } from './format.ts';

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** One field of COPY text: `\N` is NULL; backslash escapes as COPY writes them (bytea's hex stays `\x...`). */
export function copyField(raw: string): string | null {
  if (raw === '\\N') return null;
  return raw.replace(/\\(.)/g, (_match, c: string) => ESCAPES[c] ?? c);
}

/** The rows of a table file as objects of text (or null) by column name. */
export async function* copyRows(backupDir: string, table: TableDump): AsyncGenerator<Record<string, string | null>> {
  const lines = createInterface({ input: createReadStream(path.join(backupDir, table.file)).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '\\.') break;
    const fields = line.split('\t');
    yield Object.fromEntries(table.columns.map((column, i) => [column, copyField(fields[i] ?? '\\N')]));
  }
}

/** A bytea field as COPY text writes it in hex form (`\x0a1b...`). */
export function byteaFromCopy(text: string): Buffer {
  if (!text.startsWith('\\x')) throw new Error('bytea is not in hex form');
  return Buffer.from(text.slice(2), 'hex');
}
