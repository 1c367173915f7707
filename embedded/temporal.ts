import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { registerSearchAttributes } from './search-attributes.ts';
import { ensureTemporalCli } from './tools.ts';
import { GiveUp, isPortOpen, spawnManaged, waitFor, type ManagedProcess } from './process.ts';

export interface EmbeddedTemporal {
  address: string;
  namespace: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev`: a real Temporal server (SQLite) with its Web UI. With a
 * `dbFile`, workflow history survives restarts; without one, it lives in memory (tests). The
 * request workflows' search attributes are registered on every start (a no-op when present).
 */
export async function startEmbeddedTemporal(options: {
  port: number;
  uiPort?: number;
  namespace: string;
  dbFile?: string;
  log?: (line: string) => void;
  /** The server died on its own (`how`: "signal SIGKILL", "exit code 1"), not through `stop()`. */
  onUnexpectedExit?: (how: string) => void;
}): Promise<EmbeddedTemporal> {
  const log = options.log ?? (() => {});
  if (await isPortOpen(options.port)) {
    throw new Error(
      `Port ${options.port} is taken, so the embedded Temporal server cannot start. Set EMBEDDED_TEMPORAL_PORT, or TEMPORAL_ADDRESS to use that server.`,
    );
  }
  const cli = await ensureTemporalCli(log);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', options.namespace, '--log-level', 'warn'];
  if (options.dbFile) {
    await mkdir(path.dirname(options.dbFile), { recursive: true });
    // Wait for a lock (up to 5 s) instead of failing the write at once: `npm run backup` copies
    // this file while the server runs, holding a read lock for the length of the copy.
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'busy_timeout=5000');
  }
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');

  const child = spawnManaged('temporal', cli, args, {
    log,
    onUnexpectedExit: (code, signal) => options.onUnexpectedExit?.(signal ? `signal ${signal}` : `exit code ${code}`),
  });
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitFor(
      `the Temporal server on ${address}`,
      async () => {
        if (child.child.exitCode !== null) throw new GiveUp(`the temporal process exited with code ${child.child.exitCode} (see its output above)`);
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: options.namespace });
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    await registerSearchAttributes({ address, namespace: options.namespace, log });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    address,
    namespace: options.namespace,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: () => child.stop(),
  };
}
