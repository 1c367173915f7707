import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../embedded/migrate.ts';
import { releaseEmbeddedPostgresExitHooks } from '../embedded/postgres.ts';
import { configOnFreePorts, startStack } from '../embedded/stack.ts';
import { ensureTemporalCli, ensureTemporalTestServer } from '../embedded/tools.ts';

/**
 * Starts the same embedded pieces as `npm start` (PostgreSQL, Temporal, SMTP catcher) on free
 * ports with fresh temporary data, migrates the database, and tears it all down afterwards.
 */
export default async function setup(project: TestProject) {
  const log = process.env.TEST_STACK_LOG ? (line: string) => console.log(line) : () => {};
  await ensureTemporalCli(console.log);
  await ensureTemporalTestServer(console.log);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-test-'));
  const config = await configOnFreePorts(dataDir, 'test');
  releaseEmbeddedPostgresExitHooks();
  const stack = await startStack(config, { ui: false, persistTemporal: false, log });
  await migrateDatabase(stack.databaseUrl);

  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('temporalNamespace', config.temporal.namespace);
  project.provide('smtpUrl', stack.smtpUrl);
  project.provide('mailDir', stack.mailDir!);
  project.provide('signingKeySecret', randomBytes(32).toString('base64'));

  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
    smtpUrl: string;
    mailDir: string;
    signingKeySecret: string;
  }
}
