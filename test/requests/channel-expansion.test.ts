import { describe, expect, it } from 'vitest';
import { approveUpdate, rejectUpdate } from '../../workflows/messages.ts';
import { balanceOf, newPartner, useRequestWorld, waitForPhase } from '../support/request-harness.ts';
import { requestSteps } from '../support/request-steps.ts';

describe('channel expansion on the real Temporal server, PostgreSQL and SMTP', () => {
  const world = useRequestWorld({ poolSize: 20 });
  const { submit, issueLicense } = requestSteps(world);

  it('approval issues revision 2 with the added channels, consumed from the stock', async () => {
    const p = await newPartner(world.prisma, { stock: 30 });
    const serial = await issueLicense(p, 'C8:D9:D2:9A:A3:1B', 8);

    const expansion = await submit(p, { type: 'CHANNEL_EXPANSION', serial: serial.toLowerCase(), macAddress: 'c8-d9-d2-9a-a3-1b', channels: 4 });
    await waitForPhase(world.client, expansion.workflowId, 'awaiting_decision');
    await world.client.workflow.getHandle(expansion.workflowId).executeUpdate(approveUpdate, { args: [{ actor: world.desk }] });
    expect(await world.client.workflow.getHandle(expansion.workflowId).result()).toMatchObject({ outcome: 'completed', serial, revision: 2 });
    const license = await world.prisma.license.findUniqueOrThrow({ where: { serial }, include: { revisions: true } });
    expect(license.channels).toBe(12);
    expect(license.revisions.map((r) => r.channels).sort()).toEqual([12, 8]);
    expect(await balanceOf(world.prisma, p.company.id, p.product.id)).toEqual({ available: 18, reserved: 0, consumed: 12 });
  });

  it('auto-approves a small channel expansion when the stock covers it, as the policy allows', async () => {
    const p = await newPartner(world.prisma, { stock: 10 });
    const serial = await issueLicense(p, 'C8:D9:D2:9A:A3:1B', 2);

    const small = await submit(p, { type: 'CHANNEL_EXPANSION', serial, macAddress: 'c8d9d29aa31b', channels: 4 }, { autoApproveExpansionUpTo: 4 });
    expect(await world.client.workflow.getHandle(small.workflowId).result()).toMatchObject({ outcome: 'completed', revision: 2 });
    const approved = await world.prisma.historyEvent.findFirstOrThrow({ where: { requestId: small.id, action: 'request_approved' } });
    expect(approved).toMatchObject({ actorUserId: null, comment: 'Auto-approved: at most 4 channels, and the stock covers them' });

    const large = await submit(p, { type: 'CHANNEL_EXPANSION', serial, macAddress: 'c8d9d29aa31b', channels: 3 }, { autoApproveExpansionUpTo: 2 });
    await waitForPhase(world.client, large.workflowId, 'awaiting_decision');
    await world.client.workflow.getHandle(large.workflowId).executeUpdate(rejectUpdate, { args: [{ actor: world.desk, reason: 'Not now' }] });
    expect(await world.client.workflow.getHandle(large.workflowId).result()).toEqual({ outcome: 'rejected', reason: 'Not now' });
  });
});
