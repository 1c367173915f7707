import { describe, expect, it } from 'vitest';
import { approveUpdate, stateQuery } from '../workflows/messages.ts';
import { newPartner, waitForPhase } from './support/request-harness.ts';
import { outboxKeys, requestSteps } from './support/request-steps.ts';
import { useTimeSkippingWorld } from './support/time-skipping-world.ts';

/**
 * The desk's own waits of days and weeks, common to every request type, on Temporal's
 * time-skipping server with the real database and SMTP. The waits of one type (a return's
 * confirmation, a replacement's RMA) are in that type's file under test/requests/.
 */
describe('long waits under time skipping', () => {
  const world = useTimeSkippingWorld({ poolSize: 20 });
  const { submit } = requestSteps(world);

  it('a request nobody decides reminds the desk after 8 business hours and escalates after 24, once each', async () => {
    const { env, prisma, desk } = world;
    const p = await newPartner(prisma, { stock: 10 });
    const request = await submit(
      p,
      {
        type: 'NEW_INSTALLATION',
        productId: p.product.id,
        channels: 2,
        vcaChannels: 0,
        lock: { type: 'MAC', value: 'c8d9d29aa31b' },
        endUserCompany: 'Waiting Oy',
      },
      { remindAfterBusinessHours: 8, escalateAfterBusinessHours: 24 },
    );
    const handle = env.client.workflow.getHandle(request.workflowId);
    await waitForPhase(env.client, request.workflowId, 'awaiting_decision');
    // Three weeks pass: at most one reminder and one escalation, then the request just waits.
    await env.sleep('21 days');
    expect(await handle.query(stateQuery)).toMatchObject({ phase: 'awaiting_decision', remindersSent: 1, escalated: true });
    expect(await outboxKeys(prisma, request.id)).toEqual(['received', 'reminder:1', 'escalation:1']);
    const escalation = await prisma.outboxEmail.findFirstOrThrow({ where: { idempotencyKey: `${request.id}:escalation:1` } });
    expect(escalation.to).toContain('desk.admin@license-desk.test');
    expect(escalation.to).not.toContain('desk.agent@license-desk.test');

    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
  });
});
