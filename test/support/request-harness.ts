import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, inject } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { createServices } from '../../services/index.ts';
import type { CaughtMessage } from '../../embedded/smtp-catcher.ts';
import { activityInterceptors } from '../../worker/activity-heartbeat.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { loadDemoData } from '../../prisma/demo-data.ts';
import { fileStack } from './file-stack.ts';
import { lateBound } from './late-bound.ts';
import { startTimeSkippingEnv } from './time-skipping.ts';
import { stateQuery, type RequestPhase } from '../../workflows/messages.ts';

/** The workflows as the global set-up bundled them once for the whole suite (test/global-setup.ts). */
export function workflowBundle() {
  return { codePath: inject('workflowBundlePath') };
}

export async function startTestWorker(options: {
  connection: NativeConnection;
  namespace?: string;
  prisma: PrismaClient;
  signingKeySecret?: string;
  taskQueue?: string;
}) {
  const taskQueue = options.taskQueue ?? `requests-${randomUUID()}`;
  // The services as worker/main.ts builds them, on the file's SMTP catcher.
  const { outbox, signer, clock, webhooks } = createServices({
    prisma: options.prisma,
    smtpUrl: fileStack.smtpUrl,
    mailFrom: 'License Desk <license-desk@license-desk.test>',
    signingKeySecret: options.signingKeySecret ?? inject('signingKeySecret'),
    // The webhook tests' receivers listen on loopback (WEBHOOK_ALLOW_PRIVATE=true).
    webhookAllowPrivate: true,
  });
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue,
    workflowBundle: workflowBundle(),
    interceptors: { activity: activityInterceptors },
    activities: createActivities({ prisma: options.prisma, mailer: outbox, signer, clock, publicUrl: 'http://localhost:3000', webhooks }),
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

/** A fresh partner company with a user, a product and a stock, so tests never share rows. */
export async function newPartner(prisma: PrismaClient, options: { stock?: number; maxChannels?: number; external?: boolean } = {}) {
  const tag = randomUUID().slice(0, 8);
  const company = await prisma.company.create({ data: { name: `Partner ${tag}`, kind: 'DEALER' } });
  const user = await prisma.user.create({
    data: { email: `user-${tag}@partner.test`, name: `User ${tag}`, role: 'PARTNER_USER', companyId: company.id, passwordHash: 'x' },
  });
  const product = await prisma.product.create({
    data: {
      code: `V9-PRO-${tag}`,
      name: `V9 Pro ${tag}`,
      family: 'Mirasys VMS',
      version: '9.0',
      tier: 'PRO',
      maxChannels: options.maxChannels ?? 250,
      lockType: 'MAC',
      smaMonths: 12,
      external: options.external ?? false,
    },
  });
  if (options.stock) {
    await prisma.stockLedgerEntry.create({
      data: { companyId: company.id, productId: product.id, kind: 'CREDIT', channels: options.stock, idempotencyKey: `opening:${tag}` },
    });
  }
  const deliveryEmail = `orders-${tag}@partner.test`;
  return { tag, company, user, product, deliveryEmail, actor: { userId: user.id, name: user.name } };
}

export async function balanceOf(prisma: PrismaClient, companyId: string, productId: string) {
  const [row] = await prisma.$queryRaw<Array<{ available: number; reserved: number; consumed: number }>>`
    SELECT available, reserved, consumed FROM "StockBalance" WHERE "companyId" = ${companyId}::uuid AND "productId" = ${productId}::uuid`;
  return row ?? { available: 0, reserved: 0, consumed: 0 };
}

/** Waits until the workflow reports `phase` (its query is the live view). */
export async function waitForPhase(client: Client, workflowId: string, phase: RequestPhase, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await client.workflow
      .getHandle(workflowId)
      .query(stateQuery)
      .catch(() => undefined);
    if (state?.phase === phase) return state;
    if (Date.now() > deadline) throw new Error(`Workflow ${workflowId} did not reach ${phase}; it is ${state?.phase}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The messages the SMTP catcher holds for one address, parsed. */
export async function mailTo(address: string) {
  const mailDir = fileStack.mailDir;
  const index = (await readFile(path.join(mailDir, 'index.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CaughtMessage)
    .filter((m) => m.envelopeTo.includes(address));
  return Promise.all(index.map(async (m) => ({ entry: m, parsed: await PostalMime.parse(await readFile(path.join(mailDir, m.file))) })));
}

export interface RequestWorld {
  prisma: PrismaClient;
  connection: Connection;
  client: Client;
  nativeConnection: NativeConnection;
  worker: Awaited<ReturnType<typeof startTestWorker>>;
  /** The demo desk admin, a real user for the timeline's foreign keys. */
  desk: { userId: string; name: string };
  stop(): Promise<void>;
}

/** Everything an end-to-end request test needs on the suite's dev server, database and SMTP. */
export async function startRequestWorld(options: { poolSize?: number } = {}): Promise<RequestWorld> {
  const prisma = createPrismaClient(fileStack.databaseUrl, options.poolSize ?? 10);
  await loadDemoData(prisma);
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'desk.admin@license-desk.test' } });
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection, namespace: fileStack.temporalNamespace });
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await startTestWorker({ connection: nativeConnection, namespace: fileStack.temporalNamespace, prisma });
  return {
    prisma,
    connection,
    client,
    nativeConnection,
    worker,
    desk: { userId: admin.id, name: admin.name },
    async stop() {
      await worker.stop();
      await nativeConnection.close();
      await connection.close();
      await prisma.$disconnect();
    },
  };
}

/**
 * A file's request world: started before its tests, stopped after them. The members are read
 * when a test runs (`world.prisma`), once the world has started.
 */
export function useRequestWorld(options: { poolSize?: number } = {}): RequestWorld {
  let world: RequestWorld | undefined;
  beforeAll(async () => {
    world = await startRequestWorld(options);
  });
  afterAll(() => world?.stop());
  const started = () => {
    if (!world) throw new Error('The request world is used before it started (outside a test or hook)');
    return world;
  };
  return lateBound(started, ['prisma', 'connection', 'client', 'nativeConnection', 'worker', 'desk', 'stop']);
}

export interface TimeSkippingWorld {
  env: TestWorkflowEnvironment;
  prisma: PrismaClient;
  worker: Awaited<ReturnType<typeof startTestWorker>>;
  desk: { userId: string; name: string };
  stop(): Promise<void>;
}

/** The same world on Temporal's time-skipping server: waits of days and weeks pass at once. */
export async function startTimeSkippingWorld(options: { poolSize?: number } = {}): Promise<TimeSkippingWorld> {
  const prisma = createPrismaClient(fileStack.databaseUrl, options.poolSize ?? 10);
  await loadDemoData(prisma);
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'desk.admin@license-desk.test' } });
  const env = await startTimeSkippingEnv();
  const worker = await startTestWorker({ connection: env.nativeConnection, prisma });
  return {
    env,
    prisma,
    worker,
    desk: { userId: admin.id, name: admin.name },
    async stop() {
      await worker.stop();
      await env.teardown();
      await prisma.$disconnect();
    },
  };
}
