import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, GiveUp, spawnManaged, waitFor } from '../../embedded/process.ts';
import { TEST_SERVER_LAUNCHER } from '../../embedded/tools.ts';
import { REQUEST_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';

const { IndexedValueType } = proto.temporal.api.enums.v1;

export interface TimeSkippingServer {
  address: string;
  stop(): Promise<void>;
}

/**
 * Temporal's Java time-skipping server, started by our launcher rather than by the SDK, which gives
 * a JVM 5 s to answer: with other files running beside it, a 2-core machine missed that.
 */
export async function startTimeSkippingServer(log: (line: string) => void = () => {}): Promise<TimeSkippingServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let exited = '';
  const server = spawnManaged('time-skipping', TEST_SERVER_LAUNCHER, [String(port)], {
    log,
    graceMs: 5_000,
    onUnexpectedExit: (code, signal) => (exited = `it exited (${signal ?? `code ${code}`})`),
  });
  try {
    const connection = await waitFor(
      `Temporal's time-skipping server on ${address}`,
      async () => {
        if (exited) throw new GiveUp(exited);
        return Connection.connect({ address, connectTimeout: 1_000 });
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
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
// connects to a running one just as well.
type Factory = { create(options: object): Promise<TestWorkflowEnvironment> };
const factory = TestWorkflowEnvironment as unknown as Factory;

/**
 * A time-skipping server of the file's own. One server for the whole suite was tried: its clock is
 * one for all, and the workflows one file leaves behind (their workers gone, their 10-year run
 * timeouts pending) let the next file's clock jump past its own workflow's run timeout. Files
 * start their own instead, side by side, with no 5 s limit; `teardown()` stops it.
 */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const server = await startTimeSkippingServer();
  try {
    const env = await factory.create({ server: { type: 'existing' }, address: server.address, namespace: 'default', supportsTimeSkipping: true });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      await server.stop();
    };
    return env;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
