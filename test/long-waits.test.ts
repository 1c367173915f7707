import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { generateSerial } from '../domain/serial.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import type { PrismaClient } from '../prisma/client.ts';
import { approveUpdate, confirmReturnUpdate, stateQuery } from '../workflows/messages.ts';
import { balanceOf, newPartner, startTestWorker, waitForPhase, startTimeSkippingWorld, type TimeSkippingWorld } from './support/request-harness.ts';

/** The waits of days and weeks, on Temporal's time-skipping server with the real database and SMTP. */
describe('long waits under time skipping', () => {
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let desk: { userId: string; name: string };

  let world: TimeSkippingWorld;
  beforeAll(async () => {
    world = await startTimeSkippingWorld({ poolSize: 20 });
    ({ env, prisma, worker, desk } = world);
  });
  afterAll(() => world?.stop());

  const outboxKeys = async (requestId: string) =>
    (await prisma.outboxEmail.findMany({ where: { requestId }, orderBy: { createdAt: 'asc' } })).map((m) => m.idempotencyKey.slice(requestId.length + 1));

  it('a return that is never confirmed expires after 14 days with two reminders, and nothing is credited', async () => {
    const p = await newPartner(prisma, { stock: 20 });
    const license = await prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: p.company.id,
        productId: p.product.id,
        channels: 32,
        lockType: 'MAC',
        macAddress: 'c8d9d29aa31b',
        endUserCompany: 'Jess Laptop',
        status: 'ACTIVE',
      },
    });
    const request = await submitRequest(
      { prisma, client: env.client, taskQueue: worker.taskQueue },
      {
        companyId: p.company.id,
        requesterId: p.user.id,
        form: { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 12, deliveryEmails: [p.deliveryEmail] },
      },
    );
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    await waitForPhase(env.client, request.workflowId, 'waiting_confirm');
    expect((await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).status).toBe('WAITING_CONFIRM');

    const started = await env.currentTimeMs();
    expect(await handle.result()).toEqual({ outcome: 'expired' });
    expect((await env.currentTimeMs()) - started).toBeGreaterThanOrEqual(14 * 24 * 3600 * 1000);

    expect(await outboxKeys(request.id)).toEqual(['received', 'return_waiting_confirm', 'return_reminder:1', 'return_reminder:2', 'return_expired']);
    const after = await prisma.license.findUniqueOrThrow({ where: { id: license.id } });
    expect(after).toMatchObject({ channels: 32, status: 'ACTIVE', currentRevision: 2 });
    expect(await prisma.stockLedgerEntry.count({ where: { requestId: request.id } })).toBe(0);
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toEqual({ available: 20, reserved: 0, consumed: 0 });
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('EXPIRED');
  });

  it('a confirmed return credits the channels back to the stock, once', async () => {
    const p = await newPartner(prisma, { stock: 5 });
    const license = await prisma.license.create({
      data: {
        serial: generateSerial((n) => new Uint8Array(randomBytes(n))),
        companyId: p.company.id,
        productId: p.product.id,
        channels: 16,
        lockType: 'MAC',
        macAddress: 'c8d9d29aa31b',
        endUserCompany: 'Demo Room',
        status: 'ACTIVE',
      },
    });
    const request = await submitRequest(
      { prisma, client: env.client, taskQueue: worker.taskQueue },
      {
        companyId: p.company.id,
        requesterId: p.user.id,
        form: { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 6, deliveryEmails: [p.deliveryEmail] },
      },
    );
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    await waitForPhase(env.client, request.workflowId, 'waiting_confirm');
    await env.sleep('3 days');
    await handle.executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor }] });
    await expect(handle.executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor }] })).rejects.toThrow();
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
    // The license was made directly in this test (no ledger CONSUME), so only the credit is asserted.
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toMatchObject({ available: 11, reserved: 0 });
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 10, status: 'ACTIVE' });
    expect(await outboxKeys(request.id)).toEqual(['received', 'return_waiting_confirm', 'return_credited']);
  });

  it('a request nobody decides reminds the desk after 8 business hours and escalates after 24, once each', async () => {
    const p = await newPartner(prisma, { stock: 10 });
    const request = await submitRequest(
      { prisma, client: env.client, taskQueue: worker.taskQueue },
      {
        companyId: p.company.id,
        requesterId: p.user.id,
        form: {
          type: 'NEW_INSTALLATION',
          productId: p.product.id,
          channels: 2,
          vcaChannels: 0,
          lock: { type: 'MAC', value: 'c8d9d29aa31b' },
          endUserCompany: 'Waiting Oy',
          deliveryEmails: [p.deliveryEmail],
        },
        policy: { remindAfterBusinessHours: 8, escalateAfterBusinessHours: 24 },
      },
    );
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    // Three weeks pass: at most one reminder and one escalation, then the request just waits.
    await env.sleep('21 days');
    expect(await handle.query(stateQuery)).toMatchObject({ phase: 'awaiting_decision', remindersSent: 1, escalated: true });
    expect(await outboxKeys(request.id)).toEqual(['received', 'reminder:1', 'escalation:1']);
    const escalation = await prisma.outboxEmail.findFirstOrThrow({ where: { idempotencyKey: `${request.id}:escalation:1` } });
    expect(escalation.to).toContain('desk.admin@license-desk.test');
    expect(escalation.to).not.toContain('desk.agent@license-desk.test');

    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
  });
});
