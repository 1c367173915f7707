import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { createSessionStore } from '../api/auth/sessions.ts';
import { freePort } from '../embedded/process.ts';
import { NativeConnection } from '@temporalio/worker';
import { healthRoutes } from '../api/routes/health.ts';
import { DESK_CALENDAR } from '../domain/business-calendar.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { startTestWorker } from './support/request-harness.ts';
import { fileStack } from './support/file-stack.ts';

interface Health {
  status: string;
  version: string;
  checks: Record<'database' | 'temporal' | 'smtp', { status: string; version?: string; error?: string; namespace?: string }>;
}

describe('GET /api/health', () => {
  let prisma: PrismaClient;
  let temporal: Connection;

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    temporal = await Connection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await temporal?.close();
    await prisma?.$disconnect();
  });

  const appWith = (overrides: { smtpUrl?: string; connection?: Connection } = {}) =>
    createApp({
      prisma,
      temporal: { connection: overrides.connection ?? temporal, namespace: fileStack.temporalNamespace },
      smtpUrl: overrides.smtpUrl ?? fileStack.smtpUrl,
      sessions: createSessionStore(prisma),
      publicUrl: 'http://localhost:3000',
      log: () => {},
    });

  it('answers 200 with the state and version of the database, Temporal and SMTP', async () => {
    const response = await appWith().request('/api/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Health;
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.checks.database).toMatchObject({ status: 'up', version: expect.stringMatching(/^PostgreSQL \d+/) });
    expect(body.checks.temporal).toMatchObject({ status: 'up', version: expect.stringMatching(/^\d+\.\d+/), namespace: fileStack.temporalNamespace });
    expect(body.checks.smtp).toMatchObject({ status: 'up', version: expect.stringContaining('License Desk SMTP catcher') });
  });

  it('warns, still 200 "ok", when the business calendar has no holidays this year or next', async () => {
    const file = '/etc/license-desk/calendar.json';
    const year = new Date().getUTCFullYear();
    // Dated holidays for this year only: next year's are not filled in yet. UTC, so the year is the test's.
    const calendar = { ...DESK_CALENDAR, timeZone: 'UTC', holidays: [`${year}-12-24`, `${year}-12-25`] };
    const app = createApp({
      prisma,
      temporal: { connection: temporal, namespace: fileStack.temporalNamespace },
      smtpUrl: fileStack.smtpUrl,
      sessions: createSessionStore(prisma),
      publicUrl: 'http://localhost:3000',
      log: () => {},
      calendar: { calendar, file },
    });
    const response = await app.request('/api/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Health & { calendar: unknown; warnings: string[] };
    expect(body.status).toBe('ok');
    expect(body.calendar).toEqual({ file, timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: '08:00-16:00', holidays: { [year]: 2, [year + 1]: 0 } });
    expect(body.warnings).toEqual([
      `The business calendar has no holidays in ${year + 1}: add that year's holidays to ${file} (BUSINESS_CALENDAR_FILE), or its holidays count as office days for reminders, due dates and hardware replacements.`,
    ]);
    // The Finnish default has rules for every year: nothing to warn about.
    const finnish = await createApp({
      prisma,
      temporal: { connection: temporal, namespace: fileStack.temporalNamespace },
      smtpUrl: fileStack.smtpUrl,
      sessions: createSessionStore(prisma),
      publicUrl: 'http://localhost:3000',
      log: () => {},
      calendar: { calendar: DESK_CALENDAR, file },
    }).request('/api/health');
    expect(((await finnish.json()) as { warnings: string[] }).warnings).toEqual([]);
  });

  it('answers 503 and names SMTP when the SMTP server is down', async () => {
    const response = await appWith({ smtpUrl: `smtp://127.0.0.1:${await freePort()}` }).request('/api/health');
    expect(response.status).toBe(503);
    const body = (await response.json()) as Health;
    expect(body.status).toBe('unavailable');
    expect(body.checks.smtp.status).toBe('down');
    expect(body.checks.smtp.error).toMatch(/ECONNREFUSED/);
    expect(body.checks.database.status).toBe('up');
  });

  it('answers 503 and names Temporal when the Temporal server is down', async () => {
    // One attempt per call: the client's retry timers would otherwise outlive close() below and
    // fire on a shut-down channel after the test has finished.
    const unreachable = Connection.lazy({
      address: `127.0.0.1:${await freePort()}`,
      connectTimeout: 500,
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 1 }))],
    });
    try {
      const response = await appWith({ connection: unreachable }).request('/api/health');
      expect(response.status).toBe(503);
      const body = (await response.json()) as Health;
      expect(body.checks.temporal.status).toBe('down');
      expect(body.checks.smtp.status).toBe('up');
    } finally {
      await unreachable.close().catch(() => undefined);
    }
  });

  it('reports the workers polling the task queue: 503 "degraded" while none does, 200 once one polls', async () => {
    const taskQueue = `health-${Date.now()}`;
    const health = healthRoutes({ prisma, temporal: { connection: temporal, namespace: fileStack.temporalNamespace }, smtpUrl: fileStack.smtpUrl, taskQueue });
    const read = async () => {
      const response = await health.request('/');
      return {
        status: response.status,
        body: (await response.json()) as Health & { checks: { workers: { status: string; error?: string; workers?: number; identities?: string[] } } },
      };
    };

    const idle = await read();
    expect(idle.status).toBe(503);
    expect(idle.body.status).toBe('degraded');
    expect(idle.body.checks.workers.status).toBe('down');
    expect(idle.body.checks.workers.error).toBe(
      `No worker has polled task queue "${taskQueue}" in the last 90 s (last poll: never); requests stand still until one does.`,
    );
    expect(idle.body.checks.database.status).toBe('up');

    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await startTestWorker({ connection, namespace: fileStack.temporalNamespace, prisma, taskQueue });
    try {
      let polled = await read();
      for (let i = 0; i < 100 && polled.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        polled = await read();
      }
      expect(polled.status).toBe(200);
      expect(polled.body.status).toBe('ok');
      expect(polled.body.checks.workers).toMatchObject({ status: 'up', workers: 1, identities: [expect.stringMatching(new RegExp(`^${process.pid}@`))] });
    } finally {
      await worker.stop();
      await connection.close();
    }
  });

  it('answers unknown paths with a 404 that names the path, not a stack trace', async () => {
    const response = await appWith().request('/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'No such endpoint: GET /api/nope' });
  });
});

describe('serving the built admin UI', () => {
  it('serves files from the UI folder, falls back to index.html for client routes, and leaves /api alone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ui-'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>License Desk</title>');
    await writeFile(path.join(dir, 'app.js'), 'console.log("app")');
    const prisma = createPrismaClient(fileStack.databaseUrl);
    const connection = Connection.lazy({ address: inject('temporalAddress') });
    try {
      const app = createApp({
        prisma,
        temporal: { connection, namespace: fileStack.temporalNamespace },
        smtpUrl: fileStack.smtpUrl,
        sessions: createSessionStore(prisma),
        publicUrl: 'http://localhost:3000',
        uiDir: dir,
        log: () => {},
      });
      expect(await (await app.request('/')).text()).toContain('<title>License Desk</title>');
      expect(await (await app.request('/app.js')).text()).toBe('console.log("app")');
      expect(await (await app.request('/requests/42')).text()).toContain('<title>License Desk</title>');
      expect(await (await app.request('/api/nope')).json()).toEqual({ message: 'No such endpoint: GET /api/nope' });
      expect((await app.request('/api/nope')).status).toBe(404);
    } finally {
      await connection.close().catch(() => undefined);
      await prisma.$disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
