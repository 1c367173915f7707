import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepFor } from './fixtures/sleep-workflow.ts';
import { startTimeSkippingEnv } from './support/time-skipping.ts';

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

describe('Temporal time-skipping test server (Java, from Maven Central)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow that sleeps 30 days to completion in seconds', async () => {
    const taskQueue = `time-skipping-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./fixtures/sleep-workflow.ts', import.meta.url)),
    });
    const wallStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(sleepFor, { taskQueue, workflowId: `sleep-${taskQueue}`, args: [{ duration: '30 days' }] }),
    );
    const wallMs = Date.now() - wallStart;

    expect(result.elapsedMs).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
    // 30 days of workflow time went by in well under a minute of real time.
    expect(wallMs).toBeLessThan(60_000);
    console.log(`30 days of workflow time took ${(wallMs / 1000).toFixed(1)}s of wall time`);
  });
});
