import { describe, expect, it } from 'vitest';
import { approveUpdate } from '../../workflows/messages.ts';
import { balanceOf, mailTo, newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';
import { requestSteps } from '../support/request-steps.ts';

describe('stock addition on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld();
  const { submit, rejectAndCheck } = requestSteps(world);

  it('credits the stock after approval and confirms by mail', async () => {
    const p = await newPartner(world.prisma, { stock: 0 });
    const addition = await submit(p, { type: 'STOCK_ADDITION', productId: p.product.id, channels: 30, orderReference: 'PO-4711' });
    await waitForPhase(world.client, addition.workflowId, 'awaiting_decision');
    await world.client.workflow.getHandle(addition.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
    expect(await world.client.workflow.getHandle(addition.workflowId).result()).toEqual({ outcome: 'completed' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 30, reserved: 0, consumed: 0 });
    expect((await mailTo(p.deliveryEmail)).some((m) => m.parsed.text?.includes('PO-4711'))).toBe(true);
  });

  it('a desk rejection credits nothing', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    await rejectAndCheck(p, { type: 'STOCK_ADDITION', productId: p.product.id, channels: 50, orderReference: 'PO-9' });
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 10, reserved: 0, consumed: 0 });
  });
});
