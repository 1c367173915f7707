// The layout of a backup folder made by `npm run backup` and read by `npm run restore`:
//
//   <backup>/manifest.json           what is in it (below), with a SHA-256 of every file
//   <backup>/postgres/<Table>.copy.gz each table as PostgreSQL COPY text, gzipped
//   <backup>/temporal/temporal.db     Temporal's SQLite store (embedded Temporal only)
//   <backup>.secret                   the signing secret, beside the folder, never inside it
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const BACKUP_FORMAT = 'license-desk-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const TEMPORAL_FILE = path.join('temporal', 'temporal.db');

export interface TableDump {
  name: string;
  /** The columns in the order of the COPY file. */
  columns: string[];
  rows: number;
  /** Relative to the backup folder. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface SequenceValue {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/** Figures taken in the backup's snapshot, which a restore must reproduce exactly. */
export interface Figures {
  licenses: number;
  ledgerEntries: number;
  /** The stock ledger summed per company, product and kind of entry. */
  ledger: Array<{ companyId: string; productId: string; kind: string; entries: number; channels: number }>;
}

export interface PostgresPart {
  serverVersion: string;
  /** pg_current_snapshot() of the backup's transaction: what it saw. */
  snapshot: string;
  /** When the snapshot was taken (ISO time). */
  takenAt: string;
  /** Prisma's applied migrations, by name, in order. */
  migrations: string[];
  tables: TableDump[];
  sequences: SequenceValue[];
  figures: Figures;
  /** Key ids of the signing keys in the database. */
  signingKeys: string[];
}

export type TemporalPart =
  { included: true; file: string; bytes: number; sha256: string; namespace: string; takenAt: string } | { included: false; reason: string };

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_FORMAT_VERSION;
  startedAt: string;
  finishedAt: string;
  /** Where the signing secret went: a separate file, or the operator's SIGNING_KEY_SECRET. Never the secret. */
  secret: { kept: 'file' | 'environment' };
  temporal: TemporalPart;
  postgres: PostgresPart;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class BackupFormatError extends Error {}

/** The manifest of a backup folder, or a BackupFormatError that says in words what is wrong. */
export async function readManifest(backupDir: string): Promise<Manifest> {
  const file = path.join(backupDir, MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new BackupFormatError(
      error.code === 'ENOENT'
        ? `${backupDir} is not a License Desk backup: it has no ${MANIFEST_FILE}. (A folder whose name ends in .partial is a backup that did not finish.)`
        : `Cannot read ${file}: ${error.message}`,
    );
  });
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(text) as Partial<Manifest>;
  } catch (error) {
    throw new BackupFormatError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupFormatError(`${file} is not a License Desk backup manifest.`);
  if (manifest.version !== BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(
      `${backupDir} has backup format version ${String(manifest.version)}; this version of License Desk reads version ${BACKUP_FORMAT_VERSION}.`,
    );
  }
  if (!manifest.postgres?.tables?.length || !manifest.temporal || !manifest.secret) throw new BackupFormatError(`${file} is incomplete.`);
  return manifest as Manifest;
}

/** Checks every file the manifest lists against its SHA-256; the names of those that differ or are missing. */
export async function damagedFiles(backupDir: string, manifest: Manifest): Promise<string[]> {
  const files = manifest.postgres.tables.map((table) => ({ file: table.file, sha256: table.sha256 }));
  if (manifest.temporal.included) files.push({ file: manifest.temporal.file, sha256: manifest.temporal.sha256 });
  const damaged: string[] = [];
  for (const { file, sha256 } of files) {
    const actual = await sha256File(path.join(backupDir, file)).catch(() => 'missing');
    if (actual !== sha256) damaged.push(actual === 'missing' ? `${file} (missing)` : file);
  }
  return damaged;
}

/** Bytes as people read them. */
export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
