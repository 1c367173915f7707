import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import pg from 'pg';
import { TEST_SERVER_LAUNCHER } from '../../embedded/tools.ts';
import { REQUEST_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';

/**
 * Temporal's Java time-skipping server, launched by our script. The SDK gives it a fixed 5 s to
 * start (sdk-core's ephemeral_server), which a JVM on a loaded 2-core machine sometimes misses:
 * a start that timed out is tried again, up to three times in all.
 */
export async function launchTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await launchWithRetries();
  // The Java server takes no --search-attribute flag and lists none (ListSearchAttributes is
  // unimplemented there), but it does accept them through the operator service.
  const searchAttributes = Object.fromEntries(REQUEST_SEARCH_ATTRIBUTES.map((key) => [key.name, IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]]));
  await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes });
  return env;
}

async function launchWithRetries(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER_LAUNCHER } } });
    } catch (error) {
      if (attempt >= 3 || !/did not start within/.test(String((error as Error).message))) throw error;
      console.warn(`[time-skipping] the test server did not start in time (attempt ${attempt}); trying again`);
    }
  }
}

// The SDK offers time skipping only on a server it launched itself, yet its private factory
// connects to a running one just as well: one JVM serves the whole suite instead of one per file.
type Factory = { create(options: object): Promise<TestWorkflowEnvironment> };
const factory = TestWorkflowEnvironment as unknown as Factory;

/** Any number stays one lock: the key PostgreSQL's advisory lock is taken under. */
const { IndexedValueType } = temporal.api.enums.v1;

const TIME_SKIPPING_LOCK = 7_233_001;

/**
 * Connects to the suite's shared time-skipping server, alone: its clock is one for all, so a file
 * that skips 30 days would fire another file's timers early. An advisory lock on the suite's
 * PostgreSQL makes files that skip time take turns; `teardown()` hands the server on.
 */
export async function connectSharedTimeSkipping(address: string, adminDatabaseUrl: string): Promise<TestWorkflowEnvironment> {
  const lock = new pg.Client({ connectionString: adminDatabaseUrl });
  await lock.connect();
  await lock.query('SELECT pg_advisory_lock($1)', [TIME_SKIPPING_LOCK]);
  const env = await factory.create({ server: { type: 'existing' }, address, namespace: 'default', supportsTimeSkipping: true });
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    await teardown();
    await lock.end();
  };
  return env;
}
