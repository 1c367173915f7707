import { describe, expect, it } from 'vitest';
import { approveUpdate, confirmReturnUpdate } from '../../workflows/messages.ts';
import { balanceOf, newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';
import { activeLicense, expectUpdateRefused, expectWorkflowClosed, outboxKeys, requestSteps } from '../support/request-steps.ts';
import { useTimeSkippingWorld } from '../support/time-skipping-world.ts';

/** The waits of days and weeks, on Temporal's time-skipping server with the real database and SMTP. */
describe('return confirmation under time skipping', () => {
  const world = useTimeSkippingWorld({ poolSize: 20 });
  const { submit } = requestSteps(world);

  it('a return that is never confirmed expires after 14 days with two reminders, and nothing is credited', async () => {
    const { env, prisma, desk } = world;
    const p = await newPartner(prisma, { stock: 20 });
    const license = await activeLicense(prisma, p, { macAddress: 'c8d9d29aa31b', channels: 32, endUserCompany: 'Jess Laptop' });
    const request = await submit(p, { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 12 });
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    await waitForPhase(env.client, request.workflowId, 'waiting_confirm');
    expect((await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).status).toBe('WAITING_CONFIRM');

    const started = await env.currentTimeMs();
    expect(await handle.result()).toEqual({ outcome: 'expired' });
    expect((await env.currentTimeMs()) - started).toBeGreaterThanOrEqual(14 * 24 * 3600 * 1000);

    expect(await outboxKeys(prisma, request.id)).toEqual(['received', 'return_waiting_confirm', 'return_reminder:1', 'return_reminder:2', 'return_expired']);
    const after = await prisma.license.findUniqueOrThrow({ where: { id: license.id } });
    expect(after).toMatchObject({ channels: 32, status: 'ACTIVE', currentRevision: 2 });
    expect(await prisma.stockLedgerEntry.count({ where: { requestId: request.id } })).toBe(0);
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toEqual({ available: 20, reserved: 0, consumed: 0 });
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('EXPIRED');
  });

  it('a confirmed return credits the channels back to the stock, once', async () => {
    const { env, prisma, desk } = world;
    const p = await newPartner(prisma, { stock: 5 });
    const license = await activeLicense(prisma, p, { macAddress: 'c8d9d29aa31b', channels: 16, endUserCompany: 'Demo Room' });
    const request = await submit(p, { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 6 });
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    await waitForPhase(env.client, request.workflowId, 'waiting_confirm');
    await env.sleep('3 days');
    // Two confirmations at once (a double click, two tabs): one is taken, the other refused in words.
    const confirmations = await Promise.allSettled([0, 1].map(() => handle.executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor }] })));
    expect(confirmations.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    await expectUpdateRefused(
      Promise.reject((confirmations.find((c) => c.status === 'rejected') as PromiseRejectedResult).reason as Error),
      'This return is already confirmed.',
    );
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
    // And one after the request completed is refused by Temporal (the API answers 409 in words).
    await expectWorkflowClosed(handle.executeUpdate(confirmReturnUpdate, { args: [{ actor: p.actor }] }));
    // The license was made directly in this test (no ledger CONSUME), so only the credit is asserted.
    expect(await balanceOf(prisma, p.company.id, p.product.id)).toMatchObject({ available: 11, reserved: 0 });
    expect(await prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 10, status: 'ACTIVE' });
    expect(await outboxKeys(prisma, request.id)).toEqual(['received', 'return_waiting_confirm', 'return_credited']);
  });
});

describe('return confirmation on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld();
  const { rejectAndCheck } = requestSteps(world);

  it('a desk rejection leaves the license its channels and credits nothing', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const license = await activeLicense(world.prisma, p, { macAddress: 'c8d9d29aa31b', channels: 16, endUserCompany: 'Rejected Oy', currentRevision: 1 });
    await rejectAndCheck(p, { type: 'RETURN_CONFIRMATION', serial: license.serial, channels: 6 });
    expect(await world.prisma.license.findUniqueOrThrow({ where: { id: license.id } })).toMatchObject({ channels: 16, status: 'ACTIVE' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
  });
});
