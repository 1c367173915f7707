import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { freePort } from '../../embedded/process.ts';
import { startSmtpCatcher } from '../../embedded/smtp-catcher.ts';

/**
 * What belongs to one test file alone, so that files run side by side on the suite's one
 * PostgreSQL and Temporal server: a database cloned from the migrated template (the demo users,
 * request numbers and stocks of one file never meet another's) and an SMTP catcher with its own
 * folder (a demo user's mail is never another file's). Workflow ids are request UUIDs and every
 * worker polls a task queue of its own, so Temporal itself needs no such split.
 */
export interface FileStack {
  databaseUrl: string;
  smtpUrl: string;
  mailDir: string;
}

let current: FileStack | undefined;

/** The running file's own database and SMTP catcher (opened by test/support/file-setup.ts). */
export const fileStack: FileStack = {
  get databaseUrl() {
    return opened().databaseUrl;
  },
  get smtpUrl() {
    return opened().smtpUrl;
  },
  get mailDir() {
    return opened().mailDir;
  },
};

function opened(): FileStack {
  if (!current) throw new Error('The file stack is not open: vitest.config.ts must list test/support/file-setup.ts in setupFiles');
  return current;
}

/** Clones the template database and starts a catcher; the returned function stops the catcher. */
export async function openFileStack(): Promise<() => Promise<void>> {
  const templateUrl = new URL(inject('templateDatabaseUrl'));
  const template = templateUrl.pathname.slice(1);
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(templateUrl) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const databaseUrl = new URL(templateUrl);
  databaseUrl.pathname = `/${name}`;

  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-mail-'));
  const catcher = await startSmtpCatcher({ dir: mailDir, port: await freePort() });
  current = { databaseUrl: databaseUrl.toString(), smtpUrl: catcher.url, mailDir };
  return async () => {
    await catcher.stop();
    await rm(mailDir, { recursive: true, force: true });
    // The database stays until the suite's PostgreSQL is removed: a pool may still be closing.
  };
}

/** The same server's maintenance database: a database can't be cloned from a session inside it. */
export function adminUrl(databaseUrl: URL | string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}
