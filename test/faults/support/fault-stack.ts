import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { migrateDatabase } from '../../../embedded/migrate.ts';
import { releaseEmbeddedPostgresExitHooks, startEmbeddedPostgres, type EmbeddedDatabase } from '../../../embedded/postgres.ts';
import { freePort, spawnManaged, waitFor, type ManagedProcess } from '../../../embedded/process.ts';
import { readCaughtMail, startSmtpCatcher, type CaughtMessage, type SmtpCatcher } from '../../../embedded/smtp-catcher.ts';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../../../embedded/temporal.ts';
import { ROOT } from '../../../embedded/tools.ts';
import { createPrismaClient, type PrismaClient } from '../../../prisma/client.ts';
import { loadDemoData } from '../../../prisma/demo-data.ts';
import { startSmtpGate, type SmtpGate } from './smtp-gate.ts';

const NAMESPACE = 'license-desk';
const TASK_QUEUE = 'license-desk';

/**
 * A stack of its own for a fault test, made of the same embedded pieces as `npm start`, each of
 * which the test can stop, kill and start again:
 * - PostgreSQL on its own port and data folder (restarted on the same folder);
 * - the Temporal dev server backed by a SQLite file, so histories survive its restart;
 * - the SMTP catcher behind an {@link SmtpGate}, which can refuse, or hang a chosen delivery;
 * - the worker as a child process, `node --import tsx worker/main.ts`, configured through its
 *   environment exactly as in production, which the test can SIGKILL.
 * Set FAULT_TEST_LOG=1 to see every part's output.
 */
export interface FaultStack {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  prisma: PrismaClient;
  client: Client;
  /** The demo desk admin: a real user for decisions. */
  desk: { userId: string; name: string };
  gate: SmtpGate;
  postgres: Restartable;
  temporal: Restartable;
  smtp: Restartable;
  worker: WorkerProcess;
  /** What the SMTP catcher stored, in order of receipt. */
  caught(): Promise<CaughtMessage[]>;
  /** The last lines every part printed, for a failure message. */
  recentLog(): string;
  stop(): Promise<void>;
}

export interface Restartable {
  stop(): Promise<void>;
  start(): Promise<void>;
  readonly running: boolean;
}

export interface WorkerProcess {
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no completion of running activities, connections dropped. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  readonly pid: number | undefined;
}

export async function startFaultStack(options: { name: string }): Promise<FaultStack> {
  releaseEmbeddedPostgresExitHooks();
  const dir = await mkdtemp(path.join(os.tmpdir(), `license-desk-${options.name}-`));
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    if (lines.length > 400) lines.shift();
    if (process.env.FAULT_TEST_LOG) console.log(line);
  };
  let pgPort = await freePort();
  let temporalPort = 0;
  let catcherPort = 0;
  const mailDir = path.join(dir, 'mail');
  const dbFile = path.join(dir, 'temporal', 'temporal.db');
  const cleanups: Array<() => Promise<void>> = [];

  let db: EmbeddedDatabase | undefined;
  const postgres: Restartable = {
    get running() {
      return db !== undefined;
    },
    async start() {
      db ??= await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: pgPort, log });
    },
    async stop() {
      const current = db;
      db = undefined;
      await current?.stop();
    },
  };

  let temporalServer: EmbeddedTemporal | undefined;
  const temporal: Restartable = {
    get running() {
      return temporalServer !== undefined;
    },
    async start() {
      temporalServer ??= await startEmbeddedTemporal({ port: temporalPort, namespace: NAMESPACE, dbFile, log });
    },
    async stop() {
      const current = temporalServer;
      temporalServer = undefined;
      await current?.stop();
    },
  };

  let catcher: SmtpCatcher | undefined;
  const smtp: Restartable = {
    get running() {
      return catcher !== undefined;
    },
    async start() {
      catcher ??= await startSmtpCatcher({ dir: mailDir, port: catcherPort, log });
    },
    async stop() {
      const current = catcher;
      catcher = undefined;
      await current?.stop();
    },
  };

  cleanups.push(
    () => postgres.stop(),
    () => temporal.stop(),
    () => smtp.stop(),
  );
  try {
    // PostgreSQL first, then the others: the Temporal dev server opens internal ports of its
    // own choosing, and could take a port picked for PostgreSQL while both start. A port taken
    // by someone else in the meantime gets one more try on a new port.
    await postgres.start().catch(async () => {
      pgPort = await freePort();
      await postgres.start();
    });
    temporalPort = await freePort();
    await temporal.start();
    catcherPort = await freePort();
    await smtp.start();
    const gatePort = await freePort();
    const gate = await startSmtpGate({ port: gatePort, targetPort: catcherPort });
    cleanups.push(() => gate.close());

    const databaseUrl = db!.url;
    await migrateDatabase(databaseUrl);
    const prisma = createPrismaClient(databaseUrl, 20);
    cleanups.push(() => prisma.$disconnect());
    await loadDemoData(prisma);
    const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'desk.admin@license-desk.test' } });
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE });

    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      // The suite's bundle: a worker restarted after its kill polls again without bundling anew.
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      SMTP_URL: `smtp://127.0.0.1:${gatePort}`,
      MAIL_FROM: 'License Desk <license-desk@license-desk.test>',
      SIGNING_KEY_SECRET: randomBytes(32).toString('base64'),
      DATA_DIR: dir,
    };
    let workerProcess: ManagedProcess | undefined;
    const worker: WorkerProcess = {
      get pid() {
        return workerProcess?.child.pid;
      },
      async start() {
        if (workerProcess) throw new Error('The worker is already running');
        let ready!: () => void;
        const readyLine = new Promise<void>((resolve) => (ready = resolve));
        const child = spawnManaged('worker', process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker', 'main.ts')], {
          cwd: ROOT,
          env: workerEnv,
          log: (line) => {
            if (line.includes('Worker ready')) ready();
            log(line);
          },
        });
        workerProcess = child;
        const exited = new Promise<never>((_, reject) =>
          child.child.once('exit', (code, signal) =>
            reject(new Error(`The worker exited before it was ready (${signal ?? code}):\n${lines.slice(-30).join('\n')}`)),
          ),
        );
        exited.catch(() => {});
        await Promise.race([readyLine, exited, delay(90_000).then(() => Promise.reject(new Error('The worker was not ready within 90s')))]);
      },
      async kill() {
        const current = workerProcess;
        workerProcess = undefined;
        if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => current.child.once('exit', () => resolve()));
        process.kill(-current.child.pid!, 'SIGKILL');
        await exited;
        log(`[test] worker ${current.child.pid} killed with SIGKILL`);
      },
      async stop() {
        const current = workerProcess;
        workerProcess = undefined;
        await current?.stop();
      },
    };
    cleanups.push(() => worker.kill());

    return {
      dir,
      databaseUrl,
      temporalAddress,
      taskQueue: TASK_QUEUE,
      prisma,
      client,
      desk: { userId: admin.id, name: admin.name },
      gate,
      postgres,
      temporal,
      smtp,
      worker,
      caught: () => readCaughtMail(mailDir),
      recentLog: () => lines.slice(-60).join('\n'),
      stop: () => runCleanups(cleanups, dir),
    };
  } catch (error) {
    await runCleanups(cleanups, dir);
    throw error;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void>>, dir: string) {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

/** Polls `probe` until it returns a truthy value; errors while a service is down are retried. */
export function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  return waitFor(what, probe, { timeoutMs, intervalMs: 100 });
}
