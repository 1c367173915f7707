import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSerial } from '../domain/serial.ts';
import { createPrismaClient, type PrismaClient } from '../prisma/client.ts';
import { ensureSmaSchedule, SMA_SCHEDULE_ID } from '../worker/sma-schedule.ts';
import type { remindSmaRenewals } from '../workflows/sma-reminders.ts';
import { mailTo, newPartner, startTestWorker } from './support/request-harness.ts';
import { fileStack } from './support/file-stack.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('SMA renewal reminders on the real Temporal server, PostgreSQL and SMTP', () => {
  let prisma: PrismaClient;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl, 10);
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace: fileStack.temporalNamespace });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    worker = await startTestWorker({ connection: nativeConnection, namespace: fileStack.temporalNamespace, prisma });
  });
  afterAll(async () => {
    await worker?.stop();
    await nativeConnection?.close();
    await connection?.close();
    await prisma?.$disconnect();
  });

  /** An active license of the partner whose SMA ends `days` from now (negative: already ended). */
  const licenseEnding = (p: Awaited<ReturnType<typeof newPartner>>, days: number) =>
    prisma.license.create({
      data: {
        serial: generateSerial(randomBytes),
        companyId: p.company.id,
        productId: p.product.id,
        channels: 8,
        lockType: 'MAC',
        macAddress: randomBytes(6).toString('hex'),
        endUserCompany: `End user ${days} days`,
        smaStart: new Date(Date.now() + days * DAY_MS - 365 * DAY_MS),
        smaEnd: new Date(Date.now() + days * DAY_MS),
        status: 'ACTIVE',
        currentRevision: 1,
        activatedAt: new Date(),
      },
    });

  const runReminders = () =>
    client.workflow.execute<typeof remindSmaRenewals>('remindSmaRenewals', {
      workflowId: `sma-reminders-test-${randomUUID()}`,
      taskQueue: worker.taskQueue,
      args: [{}],
    });

  it('mails the partner admins once a day about the licenses whose SMA ends within 30 days', async () => {
    const p = await newPartner(prisma);
    await prisma.company.update({ where: { id: p.company.id }, data: { contactEmail: `contact-${p.tag}@partner.test` } });
    const admin = await prisma.user.create({
      data: { email: `admin-${p.tag}@partner.test`, name: `Admin ${p.tag}`, role: 'PARTNER_ADMIN', companyId: p.company.id, passwordHash: 'x' },
    });
    const soon = await licenseEnding(p, 10);
    const later = await licenseEnding(p, 45);
    const ended = await licenseEnding(p, -1);
    // A company without partner admins: its contact address gets the mail instead.
    const q = await newPartner(prisma);
    await prisma.company.update({ where: { id: q.company.id }, data: { contactEmail: `contact-${q.tag}@partner.test` } });
    const qSoon = await licenseEnding(q, 5);

    const first = await runReminders();
    // Other suites' companies share the database; count ours at least.
    expect(first.companies).toBeGreaterThanOrEqual(2);
    expect(first.licenses).toBeGreaterThanOrEqual(2);

    const mails = await mailTo(admin.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.parsed.subject).toBe(`SMA ending within 30 days: 1 license of ${p.company.name}`);
    expect(mail!.parsed.text).toContain(soon.serial);
    expect(mail!.parsed.html).toContain(soon.serial);
    // It links to the SMA renewal form, filled in with the serial (test/requests/sma-renewal.test.ts renews).
    expect(mail!.parsed.text).toContain(`/#/requests/create?type=SMA_RENEWAL&serials=${soon.serial}\n`);
    for (const other of [later, ended]) {
      expect(mail!.parsed.text).not.toContain(other.serial);
      expect(mail!.parsed.html).not.toContain(other.serial);
    }
    // The admins take the mail; the contact address and plain users do not.
    expect(await mailTo(`contact-${p.tag}@partner.test`)).toHaveLength(0);
    expect(await mailTo(p.user.email)).toHaveLength(0);

    const fallback = await mailTo(`contact-${q.tag}@partner.test`);
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.parsed.text).toContain(qSoon.serial);
    expect(await mailTo(q.user.email)).toHaveLength(0);

    const rows = await prisma.outboxEmail.findMany({ where: { idempotencyKey: { startsWith: `sma:${p.company.id}:` } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'SENT', to: [admin.email], requestId: null });
    expect(rows[0]!.idempotencyKey).toMatch(new RegExp(`^sma:${p.company.id}:\\d{4}-\\d{2}-\\d{2}$`));

    // The same day again (a re-run, or the schedule firing twice): nothing new is sent.
    const second = await runReminders();
    expect(second.companies).toBeGreaterThanOrEqual(2);
    expect(await mailTo(admin.email)).toHaveLength(1);
    expect(await mailTo(`contact-${q.tag}@partner.test`)).toHaveLength(1);
    expect(await prisma.outboxEmail.count({ where: { idempotencyKey: { startsWith: `sma:${p.company.id}:` } } })).toBe(1);
    expect(await prisma.outboxEmail.count({ where: { idempotencyKey: { startsWith: `sma:${q.company.id}:` } } })).toBe(1);
  });

  it('ensureSmaSchedule creates the daily 07:00 Helsinki schedule, and a second call updates it', async () => {
    const taskQueue = `sma-schedule-${randomUUID()}`;
    const handle = client.schedule.getHandle(SMA_SCHEDULE_ID);
    try {
      await ensureSmaSchedule({ client, taskQueue });
      let described = await handle.describe();
      expect(described.spec.timezone).toBe('Europe/Helsinki');
      expect(described.spec.calendars).toHaveLength(1);
      expect(described.spec.calendars![0]).toMatchObject({ hour: [{ start: 7, end: 7 }], minute: [{ start: 0, end: 0 }] });
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'remindSmaRenewals', taskQueue, workflowId: SMA_SCHEDULE_ID });
      expect(described.policies.overlap).toBe('SKIP');
      const helsinki = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit' });
      expect(described.info.nextActionTimes.length).toBeGreaterThan(0);
      for (const at of described.info.nextActionTimes) expect(helsinki.format(at)).toBe('07:00');

      // The second worker start finds the schedule and leaves it as it should be.
      await expect(ensureSmaSchedule({ client, taskQueue })).resolves.toBeDefined();
      described = await handle.describe();
      expect(described.spec.calendars![0]).toMatchObject({ hour: [{ start: 7, end: 7 }] });
      expect(described.action).toMatchObject({ workflowType: 'remindSmaRenewals', taskQueue });

      // A changed hour or task queue reaches the existing schedule.
      const movedQueue = `${taskQueue}-moved`;
      await ensureSmaSchedule({ client, taskQueue: movedQueue, hour: 8 });
      described = await handle.describe();
      expect(described.spec.calendars![0]).toMatchObject({ hour: [{ start: 8, end: 8 }], minute: [{ start: 0, end: 0 }] });
      expect(described.spec.timezone).toBe('Europe/Helsinki');
      expect(described.action).toMatchObject({ workflowType: 'remindSmaRenewals', taskQueue: movedQueue });
      expect(described.policies.overlap).toBe('SKIP');
    } finally {
      await handle.delete().catch(() => undefined);
    }
  });
});
