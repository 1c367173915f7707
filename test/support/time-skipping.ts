import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { freePort, GiveUp, spawnManaged, waitFor } from '../../embedded/process.ts';
import { TEST_SERVER_LAUNCHER } from '../../embedded/tools.ts';
import { REQUEST_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';

const { IndexedValueType } = proto.temporal.api.enums.v1;

export interface TimeSkippingServer {
  address: string;
  stop(): Promise<void>;
}

/**
 * Temporal's Java time-skipping server, started once for the suite by our launcher. Started here
 * rather than by the SDK, which gives a JVM 5 s to answer: while the global set-up also boots
 * PostgreSQL and Temporal and bundles the workflows, a 2-core machine misses that.
 */
export async function startTimeSkippingServer(log: (line: string) => void = () => {}): Promise<TimeSkippingServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let exited = '';
  const server = spawnManaged('time-skipping', TEST_SERVER_LAUNCHER, [String(port), '--enable-time-skipping'], {
    log,
    graceMs: 5_000,
    onUnexpectedExit: (code, signal) => (exited = `it exited (${signal ?? `code ${code}`})`),
  });
  try {
    const connection = await waitFor(`Temporal's time-skipping server on ${address}`, async () => {
      if (exited) throw new GiveUp(exited);
      return Connection.connect({ address, connectTimeout: 1_000 });
    }, { timeoutMs: 60_000, intervalMs: 250 });
    try {
      // The Java server takes no --search-attribute flag and lists none (ListSearchAttributes is
      // unimplemented there), but it does accept them through the operator service.
      const searchAttributes = Object.fromEntries(REQUEST_SEARCH_ATTRIBUTES.map((key) => [key.name, IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]]));
      await connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes });
    } finally {
      await connection.close();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, stop: () => server.stop() };
}

// The SDK offers time skipping only on a server it launched itself, yet its private factory
// connects to a running one just as well: one JVM serves the whole suite instead of one per file.
type Factory = { create(options: object): Promise<TestWorkflowEnvironment> };
const factory = TestWorkflowEnvironment as unknown as Factory;

/** Any number stays one lock: the key PostgreSQL's advisory lock is taken under. */
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
