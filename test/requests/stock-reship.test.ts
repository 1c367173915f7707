import { describe, expect, it } from 'vitest';
import { createStockReshipActivities } from '../../activities/stock-reship-activities.ts';
import { createStockLedger } from '../../services/stock-ledger.ts';
import { balanceOf, mailTo, useRequestWorld, waitForPhase } from '../support/request-harness.ts';
import { distributorAndDealer, outboxKeys, requestSteps, type Partner } from '../support/request-steps.ts';
import type { PrismaClient } from '../../prisma/client.ts';

const ledgerOf = (prisma: PrismaClient, requestId: string) =>
  prisma.stockLedgerEntry.findMany({
    where: { requestId },
    orderBy: { id: 'asc' },
    select: { kind: true, channels: true, companyId: true, idempotencyKey: true },
  });

describe('stock reship on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld();
  const { submit, approve, rejectAndCheck } = requestSteps(world);
  const reship = (p: Partner, dealerId: string, channels: number) => ({
    type: 'STOCK_RESHIP',
    productId: p.product.id,
    dealerCompanyId: dealerId,
    channels,
    note: 'SO-12345',
  });

  it("approved: the channels move from the distributor's stock to the dealer's, in two ledger rows, and both admins are mailed once", async () => {
    const { distributor, distributorAdmin, dealer, dealerAdmin } = await distributorAndDealer(world.prisma);
    const request = await submit(distributor, reship(distributor, dealer.id, 20));
    await waitForPhase(world.client, request.workflowId, 'awaiting_decision');
    // Held while the desk decides.
    expect(await balanceOf(world.prisma, distributor.company.id, distributor.product.id)).toEqual({ available: 30, reserved: 20, consumed: 0 });

    expect(await approve(request.workflowId)).toEqual({ outcome: 'completed' });
    expect(await balanceOf(world.prisma, distributor.company.id, distributor.product.id)).toEqual({ available: 30, reserved: 0, consumed: 0 });
    expect(await balanceOf(world.prisma, dealer.id, distributor.product.id)).toEqual({ available: 20, reserved: 0, consumed: 0 });
    const ledger = await ledgerOf(world.prisma, request.id);
    expect(ledger).toEqual([
      { kind: 'RESERVE', channels: 20, companyId: distributor.company.id, idempotencyKey: `${request.id}:reserve` },
      { kind: 'TRANSFER_OUT', channels: 20, companyId: distributor.company.id, idempotencyKey: `${request.id}:reserve:transfer` },
      { kind: 'TRANSFER_IN', channels: 20, companyId: dealer.id, idempotencyKey: `${request.id}:transfer-in` },
    ]);
    const saved = await world.prisma.request.findUniqueOrThrow({ where: { id: request.id }, include: { historyEvents: { orderBy: { id: 'asc' } } } });
    expect(saved.status).toBe('COMPLETED');
    expect(saved.historyEvents.find((e) => e.action === 'stock_transferred')?.changes).toBe(
      `Stock ${distributor.product.name}: ${distributor.company.name} −20, ${dealer.name} +20`,
    );

    // Each company's admins once: the distributor's in English (with the delivery address), the dealer's in the language its admin chose.
    const keys = await outboxKeys(world.prisma, request.id);
    expect(keys.filter((k) => k.startsWith('stock_reshipped'))).toEqual(['stock_reshipped:distributor', 'stock_reshipped:dealer']);
    const sent = (await mailTo(distributorAdmin.user.email)).filter((m) => m.parsed.subject?.includes('reshipped'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.parsed.subject).toBe(`LD-${String(saved.number).padStart(6, '0')} reshipped: 20 channels of ${distributor.product.name} to ${dealer.name}`);
    expect(sent[0]!.parsed.text).toMatch(/Available in stock: +30/);
    expect((await mailTo(distributor.deliveryEmail)).filter((m) => m.parsed.subject?.includes('reshipped'))).toHaveLength(1);
    const received = (await mailTo(dealerAdmin.email)).filter((m) => m.parsed.subject?.includes('varastoon saapunut'));
    expect(received).toHaveLength(1);
    expect(received[0]!.parsed.text).toContain(`${distributor.company.name} on siirtänyt varastoosi 20 kanavaa tuotetta ${distributor.product.name}.`);
    expect(received[0]!.parsed.text).toMatch(/Varastossa vapaana: +20/);
    expect(received[0]!.parsed.text).toMatch(/Huomautus: +SO-12345/);
  }, 120_000);

  it('a desk rejection releases the hold; nothing reaches the dealer', async () => {
    const { distributor, dealer } = await distributorAndDealer(world.prisma, { stock: 40 });
    const request = await rejectAndCheck(distributor, reship(distributor, dealer.id, 15));
    expect(await balanceOf(world.prisma, distributor.company.id, distributor.product.id)).toEqual({ available: 40, reserved: 0, consumed: 0 });
    expect(await balanceOf(world.prisma, dealer.id, distributor.product.id)).toEqual({ available: 0, reserved: 0, consumed: 0 });
    expect((await ledgerOf(world.prisma, request.id)).map((e) => e.kind)).toEqual(['RESERVE', 'RELEASE']);
  }, 120_000);

  it("is approved at once when the distributor's reships need no approval, with the reason on the timeline", async () => {
    const { distributor, dealer } = await distributorAndDealer(world.prisma, { reshipNeedsApproval: false });
    const request = await submit(distributor, reship(distributor, dealer.id, 8));
    expect(await world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'completed' });
    const approved = await world.prisma.historyEvent.findFirstOrThrow({ where: { requestId: request.id, action: 'request_approved' } });
    expect(approved.comment).toBe(
      `Auto-approved: ${distributor.company.name} reships to its dealers without the desk's approval, and its stock covers the 8 channels`,
    );
    expect(approved.actorUserId).toBeNull();
    expect(await balanceOf(world.prisma, distributor.company.id, distributor.product.id)).toEqual({ available: 42, reserved: 0, consumed: 0 });
    expect(await balanceOf(world.prisma, dealer.id, distributor.product.id)).toEqual({ available: 8, reserved: 0, consumed: 0 });
  }, 120_000);

  it('a retried fulfilment writes no second pair, and a release after the transfer gives nothing back', async () => {
    const { distributor, dealer } = await distributorAndDealer(world.prisma, { reshipNeedsApproval: false });
    const request = await submit(distributor, reship(distributor, dealer.id, 12));
    expect(await world.client.workflow.getHandle(request.workflowId).result()).toEqual({ outcome: 'completed' });

    // The fulfilment activity again, twice at once, as a retry after a lost answer would run it.
    const ledger = createStockLedger(world.prisma);
    const activities = createStockReshipActivities({ prisma: world.prisma, ledger });
    const target = await activities.prepareStockReship({ requestId: request.id });
    const again = await Promise.all([
      activities.transferStock({ requestId: request.id, reship: target }),
      activities.transferStock({ requestId: request.id, reship: target }),
    ]);
    expect(again).toEqual([
      { distributorAvailable: 38, dealerAvailable: 12 },
      { distributorAvailable: 38, dealerAvailable: 12 },
    ]);
    // The compensation of a failed fulfilment whose transfer had committed: the reservation is settled already.
    await ledger.settle(target, `${request.id}:reserve`, 'RELEASE', { requestId: request.id });
    expect((await ledgerOf(world.prisma, request.id)).map((e) => e.kind)).toEqual(['RESERVE', 'TRANSFER_OUT', 'TRANSFER_IN']);
    expect(await balanceOf(world.prisma, distributor.company.id, distributor.product.id)).toEqual({ available: 38, reserved: 0, consumed: 0 });
    expect(await balanceOf(world.prisma, dealer.id, distributor.product.id)).toEqual({ available: 12, reserved: 0, consumed: 0 });
  }, 120_000);

  it('more channels than the stock has are refused by the reservation; the stock never goes below zero', async () => {
    const { distributor, dealer } = await distributorAndDealer(world.prisma, { stock: 5 });
    const request = await submit(distributor, reship(distributor, dealer.id, 6));
    expect(await world.client.workflow.getHandle(request.workflowId).result()).toEqual({
      outcome: 'rejected',
      reason: `Your stock of ${distributor.product.name} has 5 channels available; this request needs 6.`,
    });
    expect(await ledgerOf(world.prisma, request.id)).toEqual([]);
    expect(await balanceOf(world.prisma, distributor.company.id, distributor.product.id)).toEqual({ available: 5, reserved: 0, consumed: 0 });
  }, 120_000);
});
