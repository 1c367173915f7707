import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../embedded/process.ts';
import { configOnFreePorts, startStack, type Stack } from '../embedded/stack.ts';

const run = promisify(execFile);

/**
 * Under npm start, embedded PostgreSQL and the Temporal dev server are restarted when they die,
 * like the worker and the API, and come back with their data. Real servers on a temporary data
 * folder, killed with SIGKILL; only the restart policy is shortened for the give-up case.
 */
describe('the embedded services are restarted when they die', () => {
  let dataDir: string;
  let stack: Stack | undefined;
  const lines: string[] = [];
  const gaveUp: string[] = [];
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const supervisorLines = () => lines.filter((line) => line.startsWith('[supervisor]'));
  const pids = async (pattern: string) => (await run('pgrep', ['-f', pattern])).stdout.trim().split('\n').map(Number);

  it('PostgreSQL and Temporal come back on their own data after SIGKILL; a part that keeps dying is given up, by name', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-restarts-'));
    const config = await configOnFreePorts(dataDir, 'test');
    const log = (line: string) => lines.push(line);
    // Two crashes within the window are the limit here, so the third death gives up.
    stack = await startStack(config, {
      ui: false,
      persistTemporal: true,
      log,
      supervision: { log, onGiveUp: (message) => gaveUp.push(message), policy: { initialMs: 200, maxMs: 400, maxCrashes: 3, windowMs: 60_000 } },
    });

    const db = () => new pg.Client({ connectionString: stack!.databaseUrl });
    const before = db();
    await before.connect();
    await before.query('CREATE TABLE survives (note text)');
    await before.query(`INSERT INTO survives VALUES ('written before the crash')`);
    await before.end();

    const [postmaster] = await pids(`postgres -D ${path.join(dataDir, 'postgres')}`);
    process.kill(postmaster!, 'SIGKILL');
    const kept = await waitFor(
      'PostgreSQL to serve again',
      async () => {
        const client = db();
        try {
          await client.connect();
          return (await client.query<{ note: string }>('SELECT note FROM survives')).rows.map((r) => r.note);
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(kept).toEqual(['written before the crash']);

    const describeNamespace = async () => {
      const connection = await Connection.connect({ address: stack!.temporalAddress, connectTimeout: 1000 });
      try {
        return (await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace })).namespaceInfo?.name;
      } finally {
        await connection.close();
      }
    };
    expect(await describeNamespace()).toBe(config.temporal.namespace);
    const [temporal] = await pids(`temporal server start-dev .*${path.join(dataDir, 'temporal')}`);
    process.kill(temporal!, 'SIGKILL');
    await waitFor('the supervisor to restart Temporal', async () => supervisorLines().length === 4, { timeoutMs: 30_000, intervalMs: 100 });
    expect(await describeNamespace()).toBe(config.temporal.namespace);

    expect(supervisorLines()).toEqual([
      '[supervisor] postgres exited unexpectedly (signal SIGKILL); restarting it in 0.2 s (restart 1)',
      '[supervisor] postgres restarted (serving again)',
      '[supervisor] temporal exited unexpectedly (signal SIGKILL); restarting it in 0.2 s (restart 1)',
      '[supervisor] temporal restarted (serving again)',
    ]);

    // PostgreSQL killed twice more within the window: restarted once more, then given up.
    process.kill((await pids(`postgres -D ${path.join(dataDir, 'postgres')}`))[0]!, 'SIGKILL');
    await waitFor('the second restart', async () => supervisorLines().length === 6, { timeoutMs: 30_000, intervalMs: 100 });
    expect(supervisorLines().slice(4)).toEqual([
      '[supervisor] postgres exited unexpectedly (signal SIGKILL); restarting it in 0.4 s (restart 2)',
      '[supervisor] postgres restarted (serving again)',
    ]);
    process.kill((await pids(`postgres -D ${path.join(dataDir, 'postgres')}`))[0]!, 'SIGKILL');
    await waitFor('the supervisor to give up', async () => gaveUp.length === 1, { timeoutMs: 30_000, intervalMs: 100 });
    expect(supervisorLines().at(-1)).toBe('[supervisor] postgres exited unexpectedly (signal SIGKILL), crash 3 in a short while; not restarting it');
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/^postgres kept crashing \(3 times in a short while, the last with signal SIGKILL\)\. Its last lines:\n/);
  }, 120_000);
});
