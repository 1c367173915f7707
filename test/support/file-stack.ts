import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import { inject } from 'vitest';
import { freePort } from '../../embedded/process.ts';
import { registerSearchAttributes } from '../../embedded/search-attributes.ts';
import { startSmtpCatcher } from '../../embedded/smtp-catcher.ts';
import { lateBound } from './late-bound.ts';

/**
 * What belongs to one test file alone, so that files run side by side on the suite's one
 * PostgreSQL and Temporal server: a database cloned from the migrated template (the demo users,
 * request numbers and stocks of one file never meet another's) and an SMTP catcher with its own
 * folder (a demo user's mail is never another file's), and a Temporal namespace of its own, since
 * request numbers (LD-000001) and the demo companies' ids repeat from one database to the next and
 * Temporal's visibility queries find workflows by them.
 */
export interface FileStack {
  databaseUrl: string;
  smtpUrl: string;
  mailDir: string;
  /** A namespace of its own on the suite's Temporal dev server, with the request search attributes. */
  temporalNamespace: string;
}

let current: FileStack | undefined;

/** The running file's own database, SMTP catcher and namespace (opened by test/support/file-setup.ts). */
export const fileStack: FileStack = lateBound(opened, ['databaseUrl', 'smtpUrl', 'mailDir', 'temporalNamespace']);

function opened(): FileStack {
  if (!current) throw new Error('The file stack is not open: vitest.config.ts must list test/support/file-setup.ts in setupFiles');
  return current;
}

/** Clones the template database and starts a catcher; the returned function stops the catcher. */
export async function openFileStack(): Promise<() => Promise<void>> {
  const templateUrl = new URL(inject('templateDatabaseUrl'));
  const template = templateUrl.pathname.slice(1);
  const name = `test_${randomBytes(6).toString('hex')}`;
  const temporalNamespace = name.replace('_', '-');
  const namespaceReady = registerNamespace(inject('temporalAddress'), temporalNamespace);
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
  await namespaceReady;
  current = { databaseUrl: databaseUrl.toString(), smtpUrl: catcher.url, mailDir, temporalNamespace };
  return async () => {
    await catcher.stop();
    await rm(mailDir, { recursive: true, force: true });
    // The database stays until the suite's PostgreSQL is removed: a pool may still be closing.
  };
}

/** Registers a namespace on the dev server (half a second) and the request search attributes on it. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  } finally {
    await connection.close();
  }
  await registerSearchAttributes({ address, namespace });
}

/** The same server's maintenance database: a database can't be cloned from a session inside it. */
function adminUrl(databaseUrl: URL | string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}
